"""Guarded fields hold against ``default_<field>`` keys in an RPC call's context.

A client puts keys in the context as freely as values in ``vals``; Odoo's
``create`` fills the fields it was not given from ``default_*`` keys, so
``service.guarded.mixin`` must judge those too (found by the attacker's review:
a claim created decided, a contract created active then invoiced, a check
created passed, a serial created with a warranty to 2099).
"""

from odoo import api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

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
        with self.assertRaisesRegex(UserError, "задаются только действиями"):
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
