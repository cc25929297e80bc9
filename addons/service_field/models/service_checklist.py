from odoo import api, fields, models

from odoo.addons.service_base.models.service_team import REQUEST_TYPES


class ServiceChecklist(models.Model):
    """What a technician checks on site: the checklist of a visit.

    A visit takes the first active checklist (by sequence) whose product
    categories hold its unit's model and whose request type is its request's;
    an empty criterion matches any. Its items are copied to the visit when the
    technician arrives (``service.visit.check``), so later edits of the
    checklist do not change a visit's record.
    """

    _name = "service.checklist"
    _description = "Visit Checklist"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    product_categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Visits to units of these categories (and their sub-categories) use this "
        "checklist; empty means any unit.",
    )
    request_type = fields.Selection(
        REQUEST_TYPES,
        help="Visits for requests of this type use this checklist; empty means any type.",
    )
    item_ids = fields.One2many("service.checklist.item", "checklist_id", string="Items", copy=True)
    item_count = fields.Integer(compute="_compute_item_count", string="Number of Items")

    @api.depends("item_ids")
    def _compute_item_count(self):
        for checklist in self:
            checklist.item_count = len(checklist.item_ids)

    def _service_applies_to(self, request):
        """Whether this checklist is for visits of ``request``."""
        self.ensure_one()
        if self.request_type and self.request_type != request.request_type:
            return False
        if not self.product_categ_ids:
            return True
        path = request.product_id.categ_id.parent_path or ""
        return bool(path) and any(
            path.startswith(categ.parent_path) for categ in self.product_categ_ids
        )

    @api.model
    def _service_for_requests(self, requests):
        """{request: checklist (or empty)}: the first active checklist of each
        request's company, by sequence, that applies to it. One search for the
        whole batch."""
        self.env["product.category"].flush_model(["parent_path"])
        checklists = self.search(
            [("company_id", "in", [False, *requests.company_id.ids])], order="sequence, id"
        )
        return {
            request: next(
                (
                    checklist
                    for checklist in checklists
                    if checklist.company_id in (request.company_id, self.env["res.company"])
                    and checklist._service_applies_to(request)
                ),
                self.browse(),
            )
            for request in requests
        }
