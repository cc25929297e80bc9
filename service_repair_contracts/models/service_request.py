from odoo import api, fields, models


class ServiceRequest(models.Model):
    _inherit = "service.request"

    contract_id = fields.Many2one(
        "service.contract",
        compute="_compute_contract_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="The active service contract covering the unit when the request came in.",
    )

    @api.depends("equipment_id")
    def _compute_contract_id(self):
        contracts = self.equipment_id._service_active_contracts()
        for request in self:
            request.contract_id = contracts.get(request.equipment_id.id, False)

    def _is_under_warranty(self):
        """Under warranty when the serial's warranty runs, or the contract covers
        both labour and parts."""
        if super()._is_under_warranty():
            return True
        if self.lot_id:
            status = self.env["stock.lot"].service_warranty_status(self.lot_id.name)
            if status.get("in_warranty"):
                return True
        contract = self.contract_id
        return bool(contract and contract.cover_labour and contract.cover_parts)
