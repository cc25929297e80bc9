"""Guarded fields hold against ``default_<field>`` keys in an RPC call's context.

A client puts keys in the context as freely as values in ``vals``; Odoo's
``create`` fills the fields it was not given from ``default_*`` keys, so
``service.guarded.mixin`` must judge those too (found by the attacker's review:
a claim created decided, a contract created active then invoiced, a check
created passed, a serial created with a warranty to 2099).
"""

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.service_base import rpc_context

from .world import build_world


@tagged("post_install", "-at_install", "service_suite")
class TestGuardedDefaults(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.world = build_world(cls.env)

    def _create(self, role, model, vals, context):
        user = self.world.users[role]
        records = self.env[model].with_user(user)
        return api.call_kw(records, "create", [vals], {"context": {"lang": "ru_RU", **context}})

    def _refused(self, role, model, vals, context):
        before = self.env[model].search_count([])
        with self.assertRaisesRegex(UserError, "только действиями"):
            self._create(role, model, vals, context)
        self.assertEqual(self.env[model].search_count([]), before, "nothing was created")

    def test_default_keys_of_guarded_fields_are_refused(self):
        w = self.world
        self._refused(
            "service_user",
            "service.warranty.claim",
            {"partner_id": w.customer_a.id, "lot_id": w.lots[0].id, "defect_description": "x"},
            {"default_state": "decided", "default_decided_by_id": w.users["service_manager"].id},
        )
        self._refused(
            "service_manager",
            "service.contract",
            {"partner_id": w.customer_a.id},
            {"default_state": "active"},
        )
        self._refused(
            "service_user",
            "service.qc.check",
            {"repair_id": w.qc_checks[0].repair_id.id},
            {"default_state": "passed", "default_checked_by_id": w.users["service_manager"].id},
        )
        self._refused(
            "stock_user",
            "stock.lot",
            {"name": "GUARD-DEFAULT-1", "product_id": w.model.id},
            {"default_service_warranty_end": "2099-12-31"},
        )

    def test_default_keys_of_free_fields_still_work(self):
        # The forms' own defaults (menus, smart buttons) pass, and a guarded
        # field's key equal to its own default changes nothing.
        w = self.world
        claim_id = self._create(
            "service_user",
            "service.warranty.claim",
            {"lot_id": w.lots[0].id, "defect_description": "x"},
            {"default_partner_id": w.customer_a.id, "default_state": "new"},
        )
        claim = self.env["service.warranty.claim"].browse(claim_id)
        self.assertEqual((claim.partner_id, claim.state), (w.customer_a, "new"))

    def test_personal_defaults_do_not_reach_guarded_fields(self):
        """ir.default: any user may set defaults for themselves (the attacker's
        review: a contract born active, a serial with a warranty to 2099)."""
        w = self.world
        user = w.users["service_manager"]
        defaults = self.env["ir.default"].with_user(user)
        defaults.set("service.contract", "state", "active", user_id=True)
        defaults.set("stock.lot", "service_warranty_end", "2099-12-31", user_id=True)
        contract_id = self._create(
            "service_manager", "service.contract", {"partner_id": w.customer_a.id}, {}
        )
        self.assertEqual(self.env["service.contract"].browse(contract_id).state, "draft")
        copy = api.call_kw(
            self.env["service.contract"].with_user(user), "copy", [w.contracts[0].ids], {}
        )
        self.assertEqual(self.env["service.contract"].browse(copy).state, "draft")
        lot_id = self._create(
            "service_manager",
            "stock.lot",
            {"name": "GUARD-PERSONAL-1", "product_id": w.model.id},
            {},
        )
        self.assertFalse(self.env["stock.lot"].browse(lot_id).service_warranty_end)

    def test_default_keys_do_not_reach_what_an_action_creates(self):
        """An action's context is not a create's: its default_<field> keys do
        not reach the repair, picking or invoice the action creates."""
        w = self.world
        request = w.requests[0]
        user = w.users["service_user"]
        action = api.call_kw(
            self.env["service.request"].with_user(user),
            "action_create_repair",
            [request.ids],
            {"context": {"default_state": "done", "default_service_date_done": "2026-01-01"}},
        )
        repair = self.env["repair.order"].browse(action["res_id"])
        self.assertEqual(repair.state, "draft")
        self.assertFalse(repair.service_date_done)

    def test_repair_born_a_draft(self):
        w = self.world
        user = w.users["service_user"]
        vals = {"product_id": w.model.id, "partner_id": w.customer_a.id}
        for values, context in (({**vals, "state": "done"}, {}), (vals, {"default_state": "done"})):
            with self.subTest(context=context), self.assertRaisesRegex(UserError, "as a draft"):
                api.call_kw(
                    self.env["repair.order"].with_user(user),
                    "create",
                    [values],
                    {"context": context},
                )
        # nor through a request's one2many
        with self.assertRaisesRegex(UserError, "as a draft"):
            w.requests[0].with_user(user).write({"repair_ids": [(0, 0, {**vals, "state": "done"})]})

    def test_refusal_in_the_users_language_without_lang(self):
        """XML-RPC gives no lang: the message and its labels speak the user's
        own language (the review found «Поля «State» (Service Contract)»)."""
        w = self.world
        user = w.users["service_manager"]
        user.lang = "ru_RU"
        contract = self.env["service.contract"].with_user(user).with_context(lang=None)
        with self.assertRaises(UserError) as caught:
            api.call_kw(contract, "write", [w.contracts[0].ids, {"state": "draft"}], {})
        message = str(caught.exception)
        self.assertIn("«Состояние»", message)
        self.assertNotIn("State", message)

    def test_default_keys_do_not_reach_a_suite_server_action(self):
        """/web/action/run and ir.actions.server.run took the client's context:
        contract invoices born posted at 0 (the attacker's re-review)."""
        w = self.world
        user = w.users["service_manager"]
        today = fields.Date.context_today(self.env["service.contract"])
        contract = self.env["service.contract"].create(
            {
                "partner_id": w.customer_a.id,
                "company_id": w.company1.id,
                "currency_id": w.company1.currency_id.id,
                "date_start": today - relativedelta(months=2),
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.env["product.product"]
                            .create({"name": "Guard Plan", "type": "service"})
                            .id,
                            "price_unit": 100.0,
                        }
                    )
                ],
            }
        )
        contract.action_activate()
        action = self.env.ref("service_contracts.service_contract_action_create_invoices")
        context = {
            "active_model": "service.contract",
            "active_ids": contract.ids,
            "active_id": contract.id,
            "default_state": "posted",
            "default_narration": "forged",
        }
        api.call_kw(
            self.env["ir.actions.server"].with_user(user), "run", [action.ids], {"context": context}
        )
        invoices = contract.invoice_ids
        self.assertTrue(invoices)
        self.assertEqual(set(invoices.mapped("state")), {"draft"})
        self.assertFalse(any(invoices.mapped("narration")))

    def test_default_keys_do_not_reach_what_a_suite_method_creates(self):
        """A method the suite adds to Odoo's models (the lookup's quotation)
        or a model of a suite addon (parts requirements) drops them too."""
        w = self.world
        user = w.users["service_manager"]
        part = w.parts.filtered(lambda p: p.company_id in (w.company1, self.env["res.company"]))[:1]
        answer = api.call_kw(
            self.env["product.product"].with_user(user),
            "service_parts_add_to_quotation",
            [part.ids],
            {"partner_id": w.customer_a.id, "context": {"default_state": "sale"}},
        )
        self.assertEqual(self.env["sale.order"].browse(answer["id"]).state, "draft")
        kwargs = {"context": {"default_state": "purchase", "lang": "ru_RU"}}
        for model, method in (
            ("service.part.requirement", "action_create_rfqs"),
            ("service.request", "action_dispatch"),
        ):
            with self.subTest(model=model):
                self.assertEqual(
                    rpc_context._without_defaults(self.env[model], method, kwargs),
                    {"context": {"lang": "ru_RU"}},
                )
        # the creating calls keep them: a form's defaults
        self.assertEqual(
            rpc_context._without_defaults(self.env["service.request"], "create", kwargs), kwargs
        )
        self.assertEqual(
            rpc_context._without_defaults(self.env["res.partner"], "write", kwargs), kwargs
        )
