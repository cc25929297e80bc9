"""The cockpit's rules hold against direct writes, as RPC clients make them.

Each attempt goes through ``odoo.api.call_kw`` (what ``/web/dataset/call_kw``
and XML-RPC run) as the user who could try it: a state, a checker, an item's
answer, a computed figure or an analytic account written straight into the
record instead of through the action that checks the rule.
"""

from datetime import datetime

from odoo import Command, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.service_contracts.tests.common import WarrantyCommon


class RpcMixin:
    def _rpc(self, user, model, method, ids=None, *args, **kwargs):
        """``model.method`` called by ``user`` as an RPC client calls it."""
        env = api.Environment(self.env.cr, user.id, {})
        args = list(args) if ids is None else [ids, *args]
        return api.call_kw(env[model], method, args, kwargs)

    def _refused(self, exception, pattern, user, model, method, ids=None, *args, **kwargs):
        with self.assertRaisesRegex(exception, pattern), self.env.cr.savepoint():
            self._rpc(user, model, method, ids, *args, **kwargs)
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestGuardedQualityCheck(RpcMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(
            cls.env, login="sm_gf_tech", groups="service_base.group_service_user"
        )
        cls.inspector = new_test_user(
            cls.env, login="sm_gf_inspector", groups="service_base.group_service_user"
        )
        cls.manager = new_test_user(
            cls.env, login="sm_gf_manager", groups="service_base.group_service_manager"
        )
        category = cls.env["product.category"].create({"name": "GF Boilers"})
        cls.product = cls.env["product.product"].create(
            {"name": "GF Boiler", "categ_id": category.id, "type": "consu"}
        )
        cls.template = cls.env["service.qc.template"].create(
            {
                "name": "GF boiler checks",
                "sequence": 1,
                "product_categ_ids": [Command.set(category.ids)],
                "item_ids": [
                    Command.create({"name": "Gas tightness"}),
                    Command.create({"name": "Customer instructed", "mandatory": False}),
                ],
            }
        )
        cls.lax_template = cls.env["service.qc.template"].create(
            {
                "name": "GF quick look",
                "sequence": 99,
                "require_other_user": False,
                "item_ids": [Command.create({"name": "Looks fine", "mandatory": False})],
            }
        )
        cls.partner = cls.env["res.partner"].create({"name": "GF Customer"})

    def setUp(self):
        super().setUp()
        self.repair = self.env["repair.order"].create(
            {
                "product_id": self.product.id,
                "partner_id": self.partner.id,
                "user_id": self.technician.id,
            }
        )
        self.repair.action_repair_start()
        self.check = self.repair.service_qc_check_ids

    def test_technician_cannot_write_a_passed_check_and_finish(self):
        """The issue's finding: state and checker written over RPC, then the repair ended."""
        self._refused(
            UserError,
            "can only be set by its actions",
            self.technician,
            "service.qc.check",
            "write",
            self.check.ids,
            {"state": "passed", "checked_by_id": self.inspector.id},
        )
        self._refused(
            UserError,
            "can only be set by its actions",
            self.technician,
            "service.qc.check",
            "create",
            None,
            {
                "repair_id": self.repair.id,
                "template_id": self.template.id,
                "state": "passed",
                "checked_by_id": self.inspector.id,
            },
        )
        self._refused(
            UserError,
            "quality check .* has not passed",
            self.technician,
            "repair.order",
            "action_repair_end",
            self.repair.ids,
        )
        self.assertEqual(self.repair.state, "under_repair")
        self.assertEqual(self.check.state, "todo")
        self.assertFalse(self.check.checked_by_id)

    def test_nor_can_the_repair_state_or_its_qc_state_be_written(self):
        for vals in ({"service_qc_state": "passed"}, {"service_qc_state": "none"}):
            self._refused(
                UserError,
                "can only be set by its actions",
                self.technician,
                "repair.order",
                "write",
                self.repair.ids,
                vals,
            )
        self._refused(
            UserError,
            "quality check .* has not passed",
            self.technician,
            "repair.order",
            "write",
            self.repair.ids,
            {"state": "done"},
        )

    def test_items_are_the_checklists_and_answers_stay_as_checked(self):
        gas, __ = self.check.line_ids
        for vals in ({"mandatory": False}, {"name": "Nothing"}, {"check_id": False}):
            self._refused(
                UserError,
                "can only be set by its actions",
                self.technician,
                "service.qc.check.line",
                "write",
                gas.ids,
                vals,
            )
        self._refused(
            UserError,
            "cannot be removed",
            self.manager,
            "service.qc.check.line",
            "unlink",
            gas.ids,
        )
        self._refused(
            UserError,
            "can only be set by its actions",
            self.technician,
            "service.qc.check",
            "write",
            self.check.ids,
            {"template_id": self.lax_template.id},
        )
        # The inspector answers through the check's form and passes it.
        self._rpc(
            self.inspector,
            "service.qc.check",
            "write",
            self.check.ids,
            {"line_ids": [Command.update(gas.id, {"result": "pass"})]},
        )
        self._rpc(self.inspector, "service.qc.check", "action_pass", self.check.ids)
        self.assertEqual(self.check.checked_by_id, self.inspector)
        self._refused(
            UserError,
            "can only be set by its actions",
            self.technician,
            "service.qc.check.line",
            "write",
            gas.ids,
            {"result": "fail"},
        )
        self._rpc(self.technician, "repair.order", "action_repair_end", self.repair.ids)
        self.assertEqual(self.repair.state, "done")

    def test_finishing_holds_the_rules_however_the_check_got_its_state(self):
        # Written as the suite's superuser (a data file, a sudo): still checked.
        with self.assertRaisesRegex(ValidationError, "Gas tightness"), self.env.cr.savepoint():
            self.check.write(
                {"state": "passed", "checked_by_id": self.inspector.id, "date_checked": False}
            )
        with (
            self.assertRaisesRegex(ValidationError, "someone other than the technician"),
            self.env.cr.savepoint(),
        ):
            self.check.line_ids.result = "pass"
            self.check.write({"state": "passed", "checked_by_id": self.technician.id})
        # Passed by the inspector; then the inspector is made the repair's technician.
        self.check.line_ids[0].result = "pass"
        self.check.with_user(self.inspector).action_pass()
        self.repair.user_id = self.inspector
        self._refused(
            UserError,
            "someone other than the technician",
            self.inspector,
            "repair.order",
            "action_repair_end",
            self.repair.ids,
        )
        self.assertEqual(self.repair.state, "under_repair")

    def test_a_laxer_checklist_made_by_hand_keeps_the_four_eyes(self):
        check_id = self._rpc(
            self.technician,
            "service.qc.check",
            "create",
            None,
            {"repair_id": self.repair.id, "template_id": self.lax_template.id},
        )
        self._refused(
            UserError,
            "someone other than the technician",
            self.technician,
            "service.qc.check",
            "action_pass",
            [check_id],
        )

    def test_a_repair_never_started_is_not_finished_without_its_check(self):
        repair = self.env["repair.order"].create(
            {"product_id": self.product.id, "partner_id": self.partner.id}
        )
        repair.action_validate()
        for method, args in (("action_repair_done", ()), ("write", ({"state": "done"},))):
            self._refused(
                UserError,
                "quality check .* has not passed",
                self.technician,
                "repair.order",
                method,
                repair.ids,
                *args,
            )
        self.assertEqual(repair.state, "confirmed")

    def test_labour_hours_are_bounded_and_kept_once_done(self):
        for hours in (-5.0, 20_000.0):
            self._refused(
                ValidationError,
                "labour hours .* between 0 and",
                self.technician,
                "repair.order",
                "write",
                self.repair.ids,
                {"service_labour_hours": hours},
            )
        self._refused(
            UserError,
            "can only be set by its actions",
            self.technician,
            "repair.order",
            "write",
            self.repair.ids,
            {"service_labour_cost": -1_000_000.0},
        )
        self._rpc(
            self.technician, "repair.order", "write", self.repair.ids, {"service_labour_hours": 2}
        )
        self.check.line_ids[0].result = "pass"
        self.check.with_user(self.inspector).action_pass()
        self.repair.with_user(self.technician).action_repair_end()
        self._refused(
            UserError,
            "can only be set by its actions",
            self.technician,
            "repair.order",
            "write",
            self.repair.ids,
            {"service_labour_hours": 0.5},
        )
        self.assertEqual(self.repair.service_labour_hours, 2.0)


@tagged("post_install", "-at_install")
class TestGuardedLabourCharges(RpcMixin, WarrantyCommon, TransactionCase):
    """Labour reaches the analytic accounts with sudo: only where the caller may charge it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_warranty()
        cls.lots = cls._lots("GFL", 1)
        cls._receive(cls.lots)
        cls._deliver(cls.lots)
        plan = cls.env["account.analytic.plan"].create({"name": "GF Departments"})
        cls.marketing = cls.env["account.analytic.account"].create(
            {"name": "GF Marketing department", "plan_id": plan.id}
        )
        other_company = cls.env["res.company"].create({"name": "GF Other Company"})
        cls.foreign = cls.env["account.analytic.account"].create(
            {
                "name": "GF Other company's service",
                "plan_id": cls.env.ref("service_manager.analytic_plan_service").id,
                "company_id": other_company.id,
            }
        )
        cls.claims_account = cls.env.ref("service_manager.analytic_account_warranty_claims")

    def setUp(self):
        super().setUp()
        self.claim = (
            self.env["service.warranty.claim"]
            .with_user(self.service_user)
            .create(
                {
                    "partner_id": self.customer_contact.id,
                    "lot_id": self.lots.id,
                    "defect_description": "Pump noise",
                }
            )
        )

    def _labour_lines(self):
        return self.env["account.analytic.line"].search(
            [
                "|",
                ("service_claim_id", "=", self.claim.id),
                ("auto_account_id", "in", (self.marketing | self.foreign).ids),
            ]
        )

    def test_negative_labour_on_an_unrelated_account_posts_nothing(self):
        """The issue's finding: -5,000,000 of labour on another department's account."""
        self._refused(
            ValidationError,
            "labour cost .* between 0 and",
            self.service_user,
            "service.warranty.claim",
            "write",
            self.claim.ids,
            {"labour_cost": -5_000_000, "analytic_account_id": self.marketing.id},
        )
        self._refused(
            ValidationError,
            "labour cost .* between 0 and",
            self.service_user,
            "service.warranty.claim",
            "write",
            self.claim.ids,
            {"labour_cost": -5_000_000},
        )
        self._refused(
            UserError,
            "not an analytic account of the service",
            self.service_user,
            "service.warranty.claim",
            "write",
            self.claim.ids,
            {"labour_cost": 5_000, "analytic_account_id": self.marketing.id},
        )
        self._refused(
            UserError,
            "company",
            self.service_user,
            "service.warranty.claim",
            "write",
            self.claim.ids,
            {"labour_cost": 5_000, "analytic_account_id": self.foreign.id},
        )
        self.assertFalse(self._labour_lines())
        self.assertEqual(self.claim.analytic_account_id, self.claims_account)

        # The service's own account takes the labour as a cost.
        self._rpc(
            self.service_user,
            "service.warranty.claim",
            "write",
            self.claim.ids,
            {"labour_cost": 5_000},
        )
        line = self._labour_lines()
        self.assertEqual((line.account_id, line.amount), (self.claims_account, -5_000.0))

    def test_who_keeps_the_analytic_items_may_choose_another_account(self):
        # The claim manager has billing rights: he may write analytic items himself.
        self._rpc(
            self.service_manager,
            "service.warranty.claim",
            "write",
            self.claim.ids,
            {"labour_cost": 700, "analytic_account_id": self.marketing.id},
        )
        line = self._labour_lines()
        column = self.marketing.plan_id._column_name()
        self.assertEqual((line[column], line.amount), (self.marketing, -700.0))
        self._refused(
            UserError,
            "can only be set by its actions",
            self.service_manager,
            "account.analytic.line",
            "write",
            line.ids,
            {"service_claim_id": False},
        )
        # The computed costs are the claim's documents', not typed in.
        self._refused(
            UserError,
            "can only be set by its actions",
            self.service_manager,
            "service.warranty.claim",
            "write",
            self.claim.ids,
            {"cost_total": 0.0},
        )

    def test_requests_and_contracts_keep_to_the_service_accounts(self):
        request = (
            self.env["service.request"]
            .with_user(self.service_user)
            .create({"partner_id": self.customer_contact.id, "description": "Noise"})
        )
        contract = (
            self.env["service.contract"]
            .with_user(self.service_user)
            .create({"partner_id": self.customer.id, "title": "GF care"})
        )
        for model, record in (("service.request", request), ("service.contract", contract)):
            self._refused(
                UserError,
                "not an analytic account of the service",
                self.service_user,
                model,
                "write",
                record.ids,
                {"analytic_account_id": self.marketing.id},
            )
        for vals in ({"sla_met": True}, {"is_rework": True}, {"resolution_hours": 1.0}):
            self._refused(
                UserError,
                "can only be set by its actions",
                self.service_user,
                "service.request",
                "write",
                request.ids,
                vals,
            )
        # A request takes its contract's account, chosen by who keeps the accounts
        # (a contract in force: only such a one may cover a request).
        contract.sudo().write({"state": "active", "date_start": fields.Date.today()})
        contract.with_user(self.service_manager).analytic_account_id = self.marketing
        # (a request whose unit no contract covers: put under one by the manager)
        self._rpc(
            self.service_manager,
            "service.request",
            "write",
            request.ids,
            {"contract_id": contract.id, "analytic_account_id": self.marketing.id},
        )
        self.assertEqual(request.analytic_account_id, self.marketing)

    def test_a_closed_claims_labour_stays_where_it_was_charged(self):
        self.claim.labour_cost = 300
        # Closed after a decision (a closed claim records who decided it).
        self.claim.sudo().write(
            {
                "state": "closed",
                "decision": "repair",
                "decided_by_id": self.service_manager.id,
                "decision_date": fields.Datetime.now(),
            }
        )
        for vals in ({"labour_cost": 0}, {"analytic_account_id": False}):
            self._refused(
                UserError,
                "can only be set by its actions",
                self.service_manager,
                "service.warranty.claim",
                "write",
                self.claim.ids,
                vals,
            )
        self.assertEqual(self._labour_lines().amount, -300.0)

    def test_repair_labour_goes_where_who_may_charge_it_said(self):
        """A technician cannot route a repair's labour through its request's
        account; a manager who keeps analytic items may, and the technician's
        repair is then charged there."""
        self.env.company.service_labour_rate = 1000.0
        request = (
            self.env["service.request"]
            .with_user(self.service_user)
            .create({"partner_id": self.customer_contact.id, "description": "Leak"})
        )
        self._refused(
            UserError,
            "not an analytic account of the service",
            self.service_user,
            "service.request",
            "write",
            request.ids,
            {"analytic_account_id": self.marketing.id},
        )
        self._rpc(
            self.service_manager,
            "service.request",
            "write",
            request.ids,
            {"analytic_account_id": self.marketing.id},
        )
        product = self.env["product.product"].create({"name": "GF Pump", "type": "consu"})
        repair = (
            self.env["repair.order"]
            .with_user(self.service_user)
            .create(
                {
                    "product_id": product.id,
                    "partner_id": self.customer_contact.id,
                    "request_id": request.id,
                    "service_labour_hours": 2.0,
                }
            )
        )
        repair.action_validate()
        repair.action_repair_start()
        self._rpc(self.service_user, "repair.order", "action_repair_end", repair.ids)
        line = self.env["account.analytic.line"].search([("service_repair_id", "=", repair.id)])
        column = self.marketing.plan_id._column_name()
        self.assertEqual((line[column], line.amount), (self.marketing, -2000.0))


@tagged("post_install", "-at_install")
class TestGuardedDemoBooking(RpcMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="sm_gf_demo_manager",
            groups="service_base.group_service_manager,sales_team.group_sale_salesman_all_leads",
        )
        model = cls.env["product.product"].create(
            {"name": "GF Demo Chiller", "is_storable": True, "tracking": "serial"}
        )
        lots = cls.env["stock.lot"].create(
            [{"name": f"GF-DEMO-{i}", "product_id": model.id} for i in (1, 2)]
        )
        cls.unit, cls.other_unit = cls.env["service.equipment"].create(
            [{"product_id": model.id, "lot_id": lot.id, "is_demo": True} for lot in lots]
        )
        cls.customer = cls.env["res.partner"].create({"name": "GF Demo Customer"})

    def setUp(self):
        super().setUp()
        self.booking = (
            self.env["service.demo.booking"]
            .with_user(self.manager)
            .create(
                {
                    "equipment_id": self.unit.id,
                    "partner_id": self.customer.id,
                    "date_start": datetime(2031, 5, 6, 10),
                    "date_stop": datetime(2031, 5, 6, 12),
                }
            )
        )

    def test_states_and_documents_only_through_the_actions(self):
        self._refused(
            UserError,
            "can only be set by its actions",
            self.manager,
            "service.demo.booking",
            "create",
            None,
            {
                "equipment_id": self.other_unit.id,
                "partner_id": self.customer.id,
                "date_start": "2031-05-07 10:00:00",
                "date_stop": "2031-05-07 12:00:00",
                "state": "done",
                "outcome": "ordered",
            },
        )
        for vals in ({"state": "done", "outcome": "ordered"}, {"state": "out"}):
            self._refused(
                UserError,
                "can only be set by its actions",
                self.manager,
                "service.demo.booking",
                "write",
                self.booking.ids,
                vals,
            )
        self._rpc(self.manager, "service.demo.booking", "action_confirm", self.booking.ids)
        self.assertEqual(self.booking.state, "confirmed")
        self._refused(
            UserError,
            "can no longer be changed",
            self.manager,
            "service.demo.booking",
            "write",
            self.booking.ids,
            {"equipment_id": self.other_unit.id},
        )
        # Without a context (XML-RPC): the state in the words of the message.
        self.env["res.lang"]._activate_lang("ru_RU")
        self.manager.lang = "ru_RU"
        bare = api.Environment(self.env.cr, self.manager.id, {})
        with self.assertRaisesRegex(UserError, "в состоянии «Забронировано»"):
            api.call_kw(
                bare["service.demo.booking"],
                "write",
                [self.booking.ids, {"equipment_id": self.other_unit.id}],
                {},
            )
        self.manager.lang = "en_US"
        self._refused(
            UserError,
            "can only be set by its actions",
            self.manager,
            "service.demo.booking",
            "write",
            self.booking.ids,
            {"event_id": False},
        )
        self._rpc(
            self.manager,
            "service.demo.booking",
            "write",
            self.booking.ids,
            {"outcome": "interested", "location": "Showroom"},
        )
        self._rpc(self.manager, "service.demo.booking", "action_done", self.booking.ids)
        self._refused(
            UserError,
            "can no longer be changed",
            self.manager,
            "service.demo.booking",
            "write",
            self.booking.ids,
            {"outcome": "ordered"},
        )
        with self.assertRaisesRegex(ValidationError, "outcome"), self.env.cr.savepoint():
            self.booking.sudo().outcome = False


@tagged("post_install", "-at_install")
class TestGuardedLostReason(RpcMixin, TransactionCase):
    def test_a_quotation_is_lost_through_mark_as_lost(self):
        salesman = new_test_user(
            self.env, login="sm_gf_sales", groups="sales_team.group_sale_salesman"
        )
        reason = self.env["crm.lost.reason"].create({"name": "GF Too late"})
        customer = self.env["res.partner"].create({"name": "GF Quoted Customer"})
        quotation = self.env["sale.order"].with_user(salesman).create({"partner_id": customer.id})
        # A quotation still open is not "lost" in the competitors' report.
        self._refused(
            UserError,
            "can only be set by its actions",
            salesman,
            "sale.order",
            "write",
            quotation.ids,
            {"service_lost_reason_id": reason.id},
        )
        wizard = self._rpc(
            salesman,
            "service.quotation.lost",
            "create",
            None,
            {"order_ids": [Command.set(quotation.ids)], "lost_reason_id": reason.id},
        )
        self._rpc(salesman, "service.quotation.lost", "action_mark_lost", [wizard])
        self.assertEqual((quotation.state, quotation.service_lost_reason_id), ("cancel", reason))
        # Lost, its reason may be corrected.
        other = self.env["crm.lost.reason"].create({"name": "GF Too expensive"})
        self._rpc(
            salesman, "sale.order", "write", quotation.ids, {"service_lost_reason_id": other.id}
        )
        self.assertEqual(quotation.service_lost_reason_id, other)
