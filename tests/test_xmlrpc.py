"""Every public method of the suite answers over XML-RPC.

Odoo's documented external API is ``execute_kw`` on ``/xmlrpc/2/object``. Its
answer is marshalled without ``allow_none`` *after* the server committed what
the method did: a method that returns ``None`` (or a dict with ``None``
somewhere inside) or a recordset makes the client see a fault for something
that happened.

This test finds every method that the suite's code defines and that RPC may
call (Odoo's own rule: ``odoo.service.model.get_public_method``), and calls
each through a real XML-RPC round trip as a service manager with a password:
on the sample records of the bad-input sweep and on records in the states
where the actions succeed (each record alone, then all of a model's samples
in one call), with the arguments of ``_calls`` for the methods that need
some. It fails on a fault that is not a refusal (``UserError``,
``ValidationError``, ``MissingError``: fault code 2; ``AccessError``: 4) — a
marshalling error or a raw Python error comes back as code 1 with a
traceback — and on any fault after which the business tables are not what
they were (the server committed, then failed). A new public method without
sample records or, when it needs arguments, without an entry in ``_calls``
fails the test too.

The examples of docs/api.md run here as well, against this server.
"""

import re
import xmlrpc.client
from datetime import timedelta
from pathlib import Path

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from . import test_bad_input
from .world import build_world

LOGIN = PASSWORD = "xmlrpc_manager"
# xmlrpc/2 fault codes of a refusal (odoo/addons/base/controllers/rpc.py):
# 2 UserError and its kinds, 3 AccessDenied, 4 AccessError. Anything else
# (code 1) carries a traceback.
REFUSALS = (2, 3, 4)
API_DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
CONNECTION = re.compile(r"^url, db, username, password = .*$", re.MULTILINE)


class _Undo(Exception):
    pass


def suite_public_methods(env):
    """{(model, method): function} of every method the suite's addons define
    (the method a model resolves to is ours) that an RPC client may call.

    A mixin's record methods are called on the models that inherit it; an
    abstract model's ``@api.model`` methods (the KPI dashboard) on itself."""
    found = {}
    for name in sorted(env.registry):
        Model = env.registry[name]
        for attr in dir(Model):
            func = getattr(Model, attr, None)
            if attr.startswith("_") or not callable(func) or isinstance(func, type):
                continue
            if not (getattr(func, "__module__", "") or "").startswith("odoo.addons.service_"):
                continue
            try:
                get_public_method(env[name], attr)
            except AccessError:
                continue
            if Model._abstract and getattr(func, "_api", None) != "model":
                continue
            found[name, attr] = func
    return found


@tagged("post_install", "-at_install", "service_suite")
class TestXmlRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.world = w = build_world(cls.env)
        cls.manager = new_test_user(
            cls.env,
            login=LOGIN,
            password=PASSWORD,
            email="xmlrpc.manager@example.com",
            groups=",".join(
                [
                    "service_base.group_service_manager",
                    "stock.group_stock_user",
                    "account.group_account_invoice",
                    "purchase.group_purchase_user",
                    "sales_team.group_sale_salesman_all_leads",
                    "product.group_product_manager",
                ]
            ),
            company_id=w.company1.id,
        )
        # A supplier of the company's part (its RFQ, its lookup offer) and
        # of customer A's unit (the claim back to it).
        cls.supplier = cls.env["res.partner"].create({"name": "XML-RPC Supplier"})
        cls.env["product.supplierinfo"].create(
            {
                "product_tmpl_id": w.parts[0].product_tmpl_id.id,
                "partner_id": cls.supplier.id,
                "price": 12.5,
                "delay": 3,
            }
        )
        w.lots[0].write(
            {
                "service_supplier_id": cls.supplier.id,
                "service_supplier_warranty_end": fields.Date.today() + timedelta(days=300),
            }
        )

    def setUp(self):
        super().setUp()
        self._uids = {}

    # the harness ------------------------------------------------------------

    def _signature(self):
        # The bad-input sweep's checksums of the business tables.
        return test_bad_input.TestBadInput._signature(self)

    def _execute(self, model, method, args, kwargs=None, login=LOGIN, password=PASSWORD):
        """One ``execute_kw`` as an integrator sends it."""
        if login not in self._uids:
            self._uids[login] = self.xmlrpc_common.authenticate(
                self.env.cr.dbname, login, password, {}
            )
        uid = self._uids[login]
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, password, model, method, args, kwargs or {}
        )

    def _rpc(self, model, method, ids=None, args=(), kwargs=None):
        """Call over XML-RPC, undo what the call did, and say what came back:
        ("ok", answer) or ("refused", fault). Fails on any other fault and on
        a fault that left something written."""
        args = list(args) if ids is None else [list(ids), *args]
        what = f"{model}.{method}({_short(args)}, {_short(kwargs)})"
        self.env.flush_all()
        before = self._signature()
        try:
            with self.env.cr.savepoint():
                try:
                    # The server logs the tracebacks this test reports.
                    with mute_logger("odoo.http"):
                        outcome = ("ok", self._execute(model, method, args, kwargs))
                except xmlrpc.client.Fault as fault:
                    outcome = ("refused", fault)
                    after = self._signature()
                raise _Undo
        except _Undo:
            pass
        self.env.invalidate_all()
        kind, fault = outcome
        if kind == "ok":
            return outcome
        # The server commits before it marshals the answer: a fault must
        # come from a call that changed nothing.
        committed = " after committing what it did" if after != before else ""
        if fault.faultCode not in REFUSALS:
            if ids and len(ids) > 1 and "Expected singleton" in fault.faultString and not committed:
                # ensure_one(): a method for one record, given several.
                return outcome
            self.fail(
                f"{what} answered with fault {fault.faultCode}{committed}:\n{fault.faultString}"
            )
        self.assertFalse(committed, f"{what} was refused{committed}")
        return outcome

    # the samples ------------------------------------------------------------

    def _samples(self):
        """The bad-input sweep's records in each state, records in the states
        where more actions succeed (their answers are what this test reads),
        and one record of each other model that has public methods."""
        samples = test_bad_input.TestBadInput._samples(self)
        w, env = self.world, self.env
        today = fields.Date.today()
        lead = samples["crm.lead"]
        request_a = w.requests[0]
        units = samples["service.equipment"]
        # A lent loaner (to take back) and another in stock (to lend).
        request_a.action_lend_loaner(units.filtered("is_loaner"))
        lot = env["stock.lot"].create(
            {"name": "XMLRPC-LOANER", "product_id": w.model.id, "company_id": w.company1.id}
        )
        warehouse = env["stock.warehouse"].search([("company_id", "=", w.company1.id)], limit=1)
        env["stock.quant"]._update_available_quantity(
            w.model, warehouse.lot_stock_id, 1, lot_id=lot
        )
        loaner = env["service.equipment"].create(
            {"product_id": w.model.id, "lot_id": lot.id, "is_loaner": True}
        )
        decided, resolved = env["service.warranty.claim"].create(
            [
                {
                    "partner_id": w.contact_a.id,
                    "lot_id": w.lots[0].id,
                    "defect_description": "XML-RPC claim",
                    "decision": "repair",
                }
            ]
            * 2
        )
        (decided | resolved).action_start_inspection()
        (decided | resolved).action_decide()
        resolved.action_resolve()
        # Claims under repair whose customer's unit is in the workshop (to
        # return) and at its supplier (to receive back): see _calls.
        claimed = env["stock.lot"].create(
            [
                {
                    "name": f"XMLRPC-CLAIMED-{i}",
                    "product_id": w.model.id,
                    "company_id": w.company1.id,
                }
                for i in range(2)
            ]
        )
        claimed.write(
            {
                "service_warranty_partner_id": w.customer_a.id,
                "service_supplier_id": self.supplier.id,
                "service_supplier_warranty_end": today + timedelta(days=300),
            }
        )
        in_workshop = env["service.warranty.claim"].create(
            [
                {
                    "partner_id": w.contact_a.id,
                    "lot_id": lot.id,
                    "defect_description": "XML-RPC claim in the workshop",
                    "decision": "repair",
                }
                for lot in claimed
            ]
        )
        in_workshop.action_start_inspection()
        in_workshop.action_decide()
        for claim in in_workshop:
            claim.action_receive_unit()
        in_workshop[1].action_claim_supplier()
        term, draft = env["service.contract"].create(
            [
                {
                    "partner_id": w.customer_a.id,
                    "title": title,
                    "date_start": today - timedelta(days=30),
                    "date_end": today + timedelta(days=335),
                    "line_ids": [
                        Command.create(
                            {"equipment_id": w.units[0].id, "name": "Covered", "price_unit": 10}
                        )
                    ],
                }
                for title in ("XML-RPC term", "XML-RPC draft")
            ]
        )
        term.action_activate()
        bookings = samples["service.demo.booking"]
        bookings.filtered(lambda b: b.state == "confirmed").outcome = "interested"
        check = samples["service.qc.check"]
        passed = check.copy({"repair_id": check.repair_id.id})
        passed.line_ids.result = "pass"
        supplier_claims = samples["service.supplier.claim"]
        supplier_claims[0].expected_amount = 100.0
        reorder = env["service.part.reorder.wizard"].create({})
        env["service.part.reorder.wizard.line"].create(
            {"wizard_id": reorder.id, "product_id": w.parts[0].id, "min_qty": 1, "max_qty": 3}
        )
        samples.update(
            {
                "service.warranty.claim": samples["service.warranty.claim"] | decided | resolved,
                "service.contract": samples["service.contract"] | term | draft,
                "service.qc.check": check | passed,
                "stock.lot": samples["stock.lot"]
                | env["stock.lot"].create(
                    {"name": "XMLRPC-NEW", "product_id": w.model.id, "company_id": w.company1.id}
                ),
                "service.center.transfer": samples["service.center.transfer"]
                | env["service.center.transfer"].create(
                    {
                        "request_id": w.requests[1].id,
                        "direction": "receive",
                        "serial": w.lots[1].name,
                    }
                ),
                "service.log.call": samples["service.log.call"]
                | env["service.log.call"].create(
                    {
                        "partner_id": w.contact_a.id,
                        "subject": "Answered on the phone",
                        "resolution": "<p>Reset the boiler.</p>",
                        "close_now": True,
                    }
                ),
                "service.qc.fail.wizard": samples["service.qc.fail.wizard"]
                | env["service.qc.fail.wizard"].create(
                    {"check_id": check.id, "reason": "The valve leaks."}
                ),
                "service.part.reorder.wizard": samples["service.part.reorder.wizard"] | reorder,
                "service.loaner.lend": samples["service.loaner.lend"]
                | env["service.loaner.lend"].create(
                    {"request_id": w.requests[1].id, "loaner_id": loaner.id}
                ),
            }
        )
        competitor = env["res.partner"].create(
            {"name": "XML-RPC Competitor", "is_service_competitor": True, "is_company": True}
        )
        lead.service_competitor_id = competitor
        repair = samples["repair.order"][:1]
        w.parts[0].service_parts_add_to_repair(repair.id)
        quotation = samples["sale.order"][:1]
        open_quotation = samples["sale.order"][1:2]
        # Visits of the service user (planned, on site) and a slot search of
        # the caller's (a search is its user's only).
        tech = w.users["service_user"]
        start = (fields.Datetime.now() + timedelta(days=3)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        visits = env["service.visit"].create(
            [
                {
                    "request_id": request_a.id,
                    "user_id": tech.id,
                    "date_start": start + timedelta(hours=h),
                    "date_end": start + timedelta(hours=h + 1),
                }
                for h in (0, 2)
            ]
        )
        # a checklist copied on arrival, a part used on site
        env["service.checklist"].create(
            {"name": "XML-RPC checklist", "item_ids": [Command.create({"name": "Look"})]}
        )
        visits[1].action_arrive()
        visit_parts = env["service.visit.part"].create(
            {"visit_id": visits[1].id, "product_id": w.parts[0].id, "quantity": 1}
        )
        # a meter reading and a maintenance plan of a unit, a schedule screen
        unit = samples["service.equipment"][:1]
        readings = env["service.equipment.reading"].create(
            {
                "equipment_id": unit.id,
                "value": 100.0,
                "date": fields.Datetime.now() - timedelta(days=30),
            }
        )
        plans = env["service.maintenance.plan"].create(
            {
                "name": "XML-RPC plan",
                "equipment_id": unit.id,
                "interval_type": "month",
                "interval": 1,
                "date_first": fields.Date.today() + timedelta(days=2),
                "duration_hours": 2,
            }
        )
        schedule = env["service.maintenance.schedule.wizard"].create(
            {"partner_id": unit.partner_id.id}
        )
        slot_search = (
            env["service.slot.wizard"].with_user(self.manager).create({"request_id": request_a.id})
        )
        # sudo: free slots are written by the search only (no user creates them)
        slot_search.sudo().line_ids = [
            Command.create(
                {
                    "user_id": tech.id,
                    "date_start": start + timedelta(days=1),
                    "date_end": start + timedelta(days=1, hours=1),
                }
            )
        ]
        env.flush_all()
        samples.update(
            {
                "service.visit": visits,
                "service.visit.check": visits[1].check_ids,
                "service.visit.part": visit_parts,
                "service.equipment.reading": readings,
                "service.maintenance.plan": plans,
                "service.maintenance.schedule.wizard": schedule,
                "res.users": tech,
                "service.slot.wizard": slot_search,
                "service.slot.wizard.line": slot_search.line_ids,
                "sale.order.line": env["sale.order.line"].create(
                    {"order_id": open_quotation.id, "product_id": w.parts[0].id}
                ),
                "product.product": w.parts[:1],
                "service.part.crossref": w.crossrefs[:1],
                "service.part.compatibility": w.compatibilities[:1],
                "service.part.substitute": w.substitutes[:1],
                "service.part.requirement": env["service.part.requirement"].search(
                    [("repair_id", "=", repair.id)]
                ),
                "purchase.order": env["purchase.order"].create({"partner_id": competitor.id}),
                "service.deal.document": env["service.deal.document"]._build_for_leads(lead),
                "service.competitor.report": env["service.competitor.report"].search(
                    [("lead_id", "=", lead.id)]
                ),
                "service.quotation.lost": env["service.quotation.lost"].create(
                    {
                        "order_ids": [Command.set(quotation.ids)],
                        "lost_reason_id": env["crm.lost.reason"].search([], limit=1).id
                        or env["crm.lost.reason"].create({"name": "Too expensive"}).id,
                        "competitor_id": competitor.id,
                    }
                ),
            }
        )
        return samples

    def _calls(self, samples):
        """(model, method) -> [(ids or None, args, kwargs)]: the calls of the
        methods that need arguments, or that are called on the model."""
        w, env = self.world, self.env
        part = samples["product.product"]
        request_a, request_b = w.requests[:2]
        units = samples["service.equipment"]
        loaner = env["service.equipment"].search(
            [("is_loaner", "=", True), ("state", "=", "in_use")], limit=1
        )
        demo_unit = units.filtered("is_demo")
        chat = request_a.message_post(body="XML-RPC note")
        note = env["ir.attachment"].create(
            {
                "name": "XML-RPC note.txt",
                "raw": b"note",
                "res_model": "service.request",
                "res_id": request_a.id,
            }
        )
        centre = env["res.partner"].search([("is_service_center", "=", True)], limit=1)
        repair = samples["repair.order"][:1]
        claim = w.claims[:1]
        claims_decided = samples["service.warranty.claim"].filtered(
            lambda c: c.state == "decided" and c.decision == "repair"
        )
        claims_in_workshop = env["service.warranty.claim"].search(
            [("lot_id.name", "=like", "XMLRPC-CLAIMED-%")], order="id"
        )
        soon = fields.Date.to_string(fields.Date.today() + timedelta(days=10))
        start = fields.Datetime.now() + timedelta(days=30)
        visit_start = samples["service.visit"][:1].date_start
        serials = [*samples["stock.lot"].mapped("name"), "NO-SUCH-SERIAL", ""]
        guarded = env.registry["service.guarded.mixin"]
        return {
            # The guarded models' defaults (a form's first call), with and
            # without a guarded field asked for.
            **{
                (name, "default_get"): [(None, [["company_id", "state"]], {}), (None, [[]], {})]
                for name in env.registry
                if issubclass(env.registry[name], guarded)
                and env.registry[name].default_get.__module__.startswith("odoo.addons.service_")
            },
            # a server action of a suite model (the contracts' Create Due Invoices)
            ("ir.actions.server", "run"): [
                (
                    env.ref("service_contracts.service_contract_action_create_invoices").ids,
                    [],
                    {
                        "context": {
                            "active_model": "service.contract",
                            "active_ids": w.contracts[:1].ids,
                            "default_state": "posted",
                        }
                    },
                )
            ],
            ("product.product", "name_search"): [
                (None, ["SEC-OEM"], {}),
                (None, [], {"name": "SEC-PART", "limit": 5}),
            ],
            ("product.product", "service_parts_lookup"): [
                (None, ["SEC-PART"], {}),
                (None, [f"SEC-OEM-{part.id}"], {"equipment_id": w.units[0].id}),
                (
                    None,
                    ["SEC-PART"],
                    {"equipment_id": w.units[0].id, "only_compatible": True},
                ),
                (None, ["Security Part"], {"quantity": 3, "need_date": soon}),
            ],
            ("product.product", "service_parts_add_to_repair"): [
                (part.ids, [repair.id], {"quantity": 2}),
            ],
            ("product.product", "service_parts_add_to_quotation"): [
                (part.ids, [], {"partner_id": w.customer_a.id}),
                (part.ids, [], {"order_id": samples["sale.order"][0].id}),
            ],
            ("stock.lot", "service_warranty_status"): [
                *((None, [serial], {}) for serial in serials),
                (None, [w.lots[0].name], {"date": "2001-01-01"}),
            ],
            ("service.kpi.dashboard", "get_kpis"): [
                (None, [], {}),
                (None, [], {"date_from": "2001-01-01", "date_to": "2001-01-31"}),
            ],
            ("service.request", "action_send_to_service_center"): [
                (
                    request_a.ids,
                    [centre.id],
                    {"tracking_ref": "TRK-1", "date_expected_return": soon},
                ),
                (request_b.ids, [centre.id], {}),
            ],
            ("service.request", "service_dispatch_board_columns"): [
                (None, [env["service.team"].search([]).member_ids.ids], {}),
                (None, [[]], {}),
                (None, [[2_000_000_000]], {}),
                (None, ["not ids"], {}),
            ],
            ("service.request", "service_find_slots"): [
                (request_a.ids, [2], {}),
                (request_a.ids, [1.5], {"date_from": "2036-01-01 00:00:00", "limit": 3}),
                (request_a.ids, [0], {}),
                (request_a.ids, ["two"], {"limit": 2.5}),
            ],
            ("service.visit", "create"): [
                (
                    None,
                    [
                        [
                            {
                                "request_id": request_a.id,
                                "user_id": w.users["service_user"].id,
                                "date_start": fields.Datetime.to_string(start + timedelta(days=2)),
                                "date_end": fields.Datetime.to_string(
                                    start + timedelta(days=2, hours=1)
                                ),
                            }
                        ]
                    ],
                    {},
                ),
                # over the first sample visit: refused, the other visit named
                (
                    None,
                    [
                        {
                            "request_id": request_a.id,
                            "user_id": w.users["service_user"].id,
                            "date_start": fields.Datetime.to_string(visit_start),
                            "date_end": fields.Datetime.to_string(visit_start + timedelta(hours=1)),
                        }
                    ],
                    {},
                ),
            ],
            ("service.visit", "write"): [
                (samples["service.visit"][:1].ids, [{"note": "<p>XML-RPC</p>"}], {}),
                (samples["service.visit"][:1].ids, [{"state": "done"}], {}),
            ],
            ("service.visit", "unlink"): [(samples["service.visit"][:1].ids, [], {})],
            ("service.visit.check", "create"): [
                (None, [{"visit_id": samples["service.visit"][1:2].id, "name": "XML-RPC"}], {}),
            ],
            ("service.visit.check", "write"): [
                (samples["service.visit.check"].ids, [{"done": True}], {}),
            ],
            ("service.visit.check", "unlink"): [(samples["service.visit.check"].ids, [], {})],
            ("service.visit.part", "create"): [
                (
                    None,
                    [{"visit_id": samples["service.visit"][1:2].id, "product_id": part.id}],
                    {},
                ),
                (
                    None,
                    [
                        {
                            "visit_id": samples["service.visit"][1:2].id,
                            "product_id": part.id,
                            "quantity": -1,
                        }
                    ],
                    {},
                ),
            ],
            ("service.visit.part", "write"): [
                (samples["service.visit.part"].ids, [{"quantity": 3}], {}),
                (samples["service.visit.part"].ids, [{"move_id": 1}], {}),
            ],
            ("service.visit.part", "unlink"): [(samples["service.visit.part"].ids, [], {})],
            # service_field guards the visits' signed reports; any other
            # attachment is written and deleted as Odoo does
            ("ir.attachment", "write"): [(note.ids, [{"name": "XML-RPC note 2.txt"}], {})],
            ("ir.attachment", "unlink"): [(note.ids, [], {})],
            # and guards the messages that mailed them; any other message as Odoo does
            ("mail.message", "write"): [(chat.ids, [{"body": "<p>XML-RPC 2</p>"}], {})],
            ("mail.message", "unlink"): [(chat.ids, [], {})],
            ("service.equipment", "service_add_reading"): [
                (units[:1].ids, [150.0], {}),
                (units[:1].ids, [50.0], {}),
                (units[:1].ids, ["many"], {"meter_replaced": True}),
            ],
            ("service.equipment.reading", "create"): [
                (None, [{"equipment_id": units[:1].id, "value": 160.0}], {}),
                (None, [{"equipment_id": units[:1].id, "value": 1.0}], {}),
            ],
            # the meter's limit per day: a number (NaN was a bug, Fault 1)
            ("res.company", "write"): [
                (w.company1.ids, [{"service_maintenance_meter_per_day": 24.0}], {}),
                (w.company1.ids, [{"service_maintenance_meter_per_day": "nan"}], {}),
            ],
            ("res.company", "create"): [
                (None, [[{"name": "XML-RPC company", "service_maintenance_meter_per_day": 0}]], {}),
            ],
            ("res.config.settings", "create"): [
                (None, [[{"service_maintenance_meter_per_day": "inf"}]], {}),
            ],
            ("res.config.settings", "write"): [
                (
                    env["res.config.settings"].create({}).ids,
                    [{"service_maintenance_meter_per_day": 1e300}],
                    {},
                ),
            ],
            ("service.equipment.reading", "write"): [
                (samples["service.equipment.reading"].ids, [{"value": 1.0}], {}),
            ],
            ("service.maintenance.plan", "create"): [
                (
                    None,
                    [
                        {
                            "name": "XML-RPC plan 2",
                            "equipment_id": samples["service.maintenance.plan"].equipment_id.id,
                            "date_first": "2026-02-30",
                        }
                    ],
                    {},
                ),
            ],
            ("service.maintenance.plan", "write"): [
                (samples["service.maintenance.plan"].ids, [{"name": "XML-RPC plan"}], {}),
                (samples["service.maintenance.plan"].ids, [{"date_first": "abc"}], {}),
                (samples["service.maintenance.plan"].ids, [{"interval": 1000000000}], {}),
            ],
            ("service.request", "action_lend_loaner"): [
                (request_b.ids, [loaner.id], {}),
                (request_a.ids, [loaner.id], {}),
                (request_b.ids, [demo_unit.id], {}),
            ],
            ("service.warranty.claim", "action_receive_unit"): [
                (claims_decided[:1].ids, [], {}),
                (claim.ids, [], {}),
            ],
            ("service.warranty.claim", "action_return_to_customer"): [
                (claims_in_workshop[:1].ids, [], {}),
                (claims_decided[:1].ids, [], {}),
            ],
            ("service.supplier.claim", "action_receive_back"): [
                (claims_in_workshop.supplier_claim_ids.ids, [], {}),
                (samples["service.supplier.claim"][:1].ids, [], {}),
            ],
            ("service.qc.check", "action_fail"): [
                (samples["service.qc.check"].ids, [], {"reason": "The valve still leaks."}),
                (samples["service.qc.check"].ids, [], {}),
            ],
            # ORM overrides of the gates: a plain, allowed value of the model.
            **{
                (model, "write"): [(records[:1].ids, [vals], {})]
                for model, records, vals in (
                    ("service.contract.line", w.contracts.line_ids, {"name": "XML-RPC"}),
                    ("service.dispatch.rule", w.dispatch_rules, {"name": "XML-RPC"}),
                    ("service.part.compatibility", w.compatibilities, {"note": "XML-RPC"}),
                    ("service.part.substitute", w.substitutes, {"note": "XML-RPC"}),
                    ("service.qc.check.line", w.qc_checks.line_ids, {"note": "XML-RPC"}),
                    ("service.team", w.teams, {"name": "XML-RPC team"}),
                    ("sale.order.line", samples["sale.order.line"], {"product_uom_qty": 2}),
                    ("account.analytic.line", env["account.analytic.line"], {"name": "XML-RPC"}),
                )
            },
            **{
                (model, "create"): [(None, [vals_list], {})]
                for model, vals_list in {
                    "repair.order": [{"partner_id": w.customer_a.id}],
                    "sale.order": [{"partner_id": w.customer_a.id}],
                    "sale.order.line": [
                        {"order_id": samples["sale.order"][1].id, "product_id": part.id}
                    ],
                    "service.contract.line": [
                        {"contract_id": w.contracts[0].id, "name": "XML-RPC", "price_unit": 1.0}
                    ],
                    "service.dispatch.rule": [{"name": "XML-RPC", "team_id": w.teams[0].id}],
                    "service.qc.check.line": [
                        {"check_id": w.qc_checks[0].id, "name": "XML-RPC item"}
                    ],
                    "service.team": [{"name": "XML-RPC new team"}],
                    "account.analytic.line": [{"name": "XML-RPC"}],
                    "stock.move": [
                        {
                            "name": "XML-RPC",
                            "product_id": part.id,
                            "product_uom_qty": 1,
                            "location_id": env.ref("stock.stock_location_stock").id,
                            "location_dest_id": env.ref("stock.stock_location_customers").id,
                        }
                    ],
                }.items()
            },
            ("service.qc.check.line", "unlink"): [(w.qc_checks.line_ids[:1].ids, [], {})],
            ("service.contract.line", "unlink"): [(w.contracts.line_ids[:1].ids, [], {})],
            # ORM methods the suite overrides: a plain value of the model.
            **{
                (model, "write"): [(samples[model][:1].ids, [vals], {})]
                for model, vals in {
                    "account.move": {"ref": "XML-RPC"},
                    "repair.order": {"internal_notes": "<p>XML-RPC</p>"},
                    "sale.order": {"client_order_ref": "XML-RPC"},
                    "service.contract": {"title": "XML-RPC"},
                    "service.equipment": {"note": "<p>XML-RPC</p>"},
                    "service.part.crossref": {"note": "XML-RPC"},
                    "service.part.import": {"col_name": "Name"},
                    "service.request": {"subject": "XML-RPC"},
                    "service.warranty.claim": {"defect_description": "XML-RPC"},
                }.items()
            },
            **{
                (model, "create"): [(None, [vals_list], {})]
                for model, vals_list in {
                    "product.template": [{"name": "XML-RPC part", "is_spare_part": True}],
                    "service.contract": [{"partner_id": w.customer_a.id, "title": "XML-RPC"}],
                    "service.demo.booking": [
                        {
                            "equipment_id": demo_unit.id,
                            "partner_id": w.customer_a.id,
                            "date_start": fields.Datetime.to_string(start),
                            "date_stop": fields.Datetime.to_string(start + timedelta(hours=1)),
                        }
                    ],
                    "service.equipment": [{"product_id": w.model.id, "partner_id": w.contact_a.id}],
                    "service.forecast.wizard": [{}],
                    "service.part.compatibility": [
                        {"part_product_id": part.id, "equipment_product_id": w.model.id}
                    ],
                    "service.part.crossref": [
                        {"product_id": part.id, "code": "XR-NEW-1", "code_type": "supplier"}
                    ],
                    "service.part.import": [
                        {
                            "partner_id": centre.id,
                            # "Code,Price\nXR-1,5\n", base64-encoded as XML-RPC sends it
                            "file": "Q29kZSxQcmljZQpYUi0xLDUK",
                            "file_name": "catalog.csv",
                        }
                    ],
                    "service.part.substitute": [
                        {"product_id": part.id, "substitute_id": w.parts[4].id}
                    ],
                    "service.qc.check": [
                        {
                            "repair_id": repair.id,
                            "template_id": samples["service.qc.check"].template_id.id,
                        }
                    ],
                    "service.request": [{"partner_id": w.contact_a.id, "subject": "XML-RPC"}],
                    "service.supplier.claim": [
                        {"claim_id": claim.id, "supplier_id": centre.id, "lot_id": claim.lot_id.id}
                    ],
                    "service.warranty.claim": [
                        {
                            "partner_id": w.contact_a.id,
                            "lot_id": w.lots[0].id,
                            "defect_description": "XML-RPC",
                        }
                    ],
                }.items()
            },
        }

    # the tests --------------------------------------------------------------

    def test_every_public_method_answers(self):
        samples = self._samples()
        calls = self._calls(samples)
        methods = suite_public_methods(self.env)
        self.assertGreater(len(methods), 120)
        self.assertFalse(
            set(calls) - set(methods), "entries of _calls for methods that are not public"
        )
        untested, done = [], 0
        for (model, method), func in sorted(methods.items()):
            planned = calls.get((model, method))
            if planned is None:
                planned = self._default_calls(model, func, samples)
            if not planned:
                untested.append(f"{model}.{method}")
                continue
            for ids, args, kwargs in planned:
                with self.subTest(model=model, method=method, ids=ids, args=args):
                    self._rpc(model, method, ids, args, kwargs)
                    done += 1
        self.assertFalse(
            untested,
            "public methods without sample records or, for arguments, an entry in _calls",
        )
        self.assertGreater(done, 300)

    def _default_calls(self, model, func, samples):
        """Without arguments: on the model, or on each sample record and on
        all of them in one call. None when the method needs arguments or the
        model has no samples."""
        if func.__code__.co_argcount - 1 > len(func.__defaults__ or ()):
            return None
        if getattr(func, "_api", None):
            return [(None, [], {})]
        records = samples.get(model)
        if not records:
            return None
        planned = [([record.id], [], {}) for record in records]
        if len(records) > 1:
            planned.append((records.ids, [], {}))
        return planned

    def test_answers_are_what_was_done(self):
        """Each of these committed its change and then failed to marshal its
        answer (a recordset, None): now the answer says what was done, once."""
        w = self.world
        request = w.requests[0]
        centre = self.env["res.partner"].create(
            {"name": "XML-RPC Service Centre", "is_service_center": True, "is_company": True}
        )
        pickings = self.env["stock.picking"].search_count([("service_request_id", "=", request.id)])
        # Refused: nothing written.
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self._execute(
                "service.request", "action_send_to_service_center", [request.ids, w.customer_b.id]
            )
        self.assertEqual(refusal.exception.faultCode, 2)
        self.assertEqual(
            self.env["stock.picking"].search_count([("service_request_id", "=", request.id)]),
            pickings,
        )
        picking_id = self._execute(
            "service.request", "action_send_to_service_center", [request.ids, centre.id]
        )
        picking = self.env["stock.picking"].browse(picking_id)
        self.assertEqual((picking.service_request_id, picking.state), (request, "done"))
        self.assertEqual(request.equipment_id.state, "at_service_center")
        self.assertTrue(self._execute("service.request", "action_close", [request.ids]))
        self.assertTrue(request.is_closed)
        # The requests this call dispatched, as ids.
        open_request = w.requests[1:2]
        dispatched = self._execute("service.request", "action_dispatch", [open_request.ids])
        self.assertEqual(dispatched, open_request.ids)
        self.assertTrue(open_request.team_id)
        # A demo unit's serial has no owner: no partner, not an empty record.
        status = self._execute("stock.lot", "service_warranty_status", ["SEC-DEMO-1"])
        self.assertEqual((status["serial"], status["partner"]), ("SEC-DEMO-1", False))

    def _api_doc_world(self):
        """What docs/api.md's examples look for: customer alice@example.com
        of Martin Heating, whose boiler BX-1001 is in warranty and under an
        active contract, and the gasket GK-100 that fits it (two per unit)."""
        env, w = self.env, self.world
        today = fields.Date.today()
        company = env["res.partner"].create({"name": "Martin Heating", "is_company": True})
        alice = env["res.partner"].create(
            {"name": "Alice Martin", "parent_id": company.id, "email": "alice@example.com"}
        )
        boiler = env["product.product"].create(
            {
                "name": "Boiler BX-24",
                "default_code": "BX-24",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        lot = env["stock.lot"].create(
            {"name": "BX-1001", "product_id": boiler.id, "company_id": w.company1.id}
        )
        lot.write(
            {
                "service_warranty_start": today - timedelta(days=240),
                "service_warranty_end": today + timedelta(days=490),
                "service_warranty_partner_id": company.id,
            }
        )
        unit = env["service.equipment"].create(
            {"product_id": boiler.id, "lot_id": lot.id, "partner_id": alice.id}
        )
        gasket = env["product.product"].create(
            {
                "name": "Heat exchanger gasket",
                "default_code": "GK-100",
                "type": "consu",
                "is_spare_part": True,
            }
        )
        env["service.part.compatibility"].create(
            {
                "part_product_id": gasket.id,
                "equipment_product_id": boiler.id,
                "quantity": 2,
                "position": "Heat exchanger",
            }
        )
        env["product.supplierinfo"].create(
            {
                "product_tmpl_id": gasket.product_tmpl_id.id,
                "partner_id": self.supplier.id,
                "price": 8.4,
                "delay": 5,
            }
        )
        contract = env["service.contract"].create(
            {
                "partner_id": company.id,
                "title": "Boiler maintenance",
                "date_start": today - timedelta(days=240),
                "date_end": today + timedelta(days=125),
                "line_ids": [
                    Command.create({"equipment_id": unit.id, "name": "BX-1001", "price_unit": 40})
                ],
            }
        )
        contract.action_activate()
        if not env["res.partner"].search_count([("is_service_center", "=", True)]):
            env["res.partner"].create(
                {"name": "Central Service Lab", "is_service_center": True, "is_company": True}
            )

    def test_api_doc_examples(self):
        """The Python blocks of docs/api.md, run in order in one namespace
        against this server, with its address, database and user."""
        self._api_doc_world()
        text = API_DOC.read_text(encoding="utf-8")
        blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
        self.assertGreater(len(blocks), 5)
        self.assertTrue(CONNECTION.search(blocks[0]), "the first example connects")
        blocks[0] = CONNECTION.sub(
            f"url, db, username, password = {self.base_url()!r}, {self.env.cr.dbname!r}, "
            f"{LOGIN!r}, {PASSWORD!r}",
            blocks[0],
        )
        self.env.flush_all()
        namespace = {"__name__": "api_doc"}
        for index, block in enumerate(blocks):
            with self.subTest(block=index, code=block[:60]):
                exec(compile(block, f"docs/api.md block {index}", "exec"), namespace)


def _short(value):
    text = repr(value)
    return text if len(text) < 160 else text[:150] + "…"
