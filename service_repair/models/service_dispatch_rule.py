from odoo import fields, models

from odoo.addons.service_base.models.service_team import REQUEST_TYPES

from .service_request import PRIORITIES


class ServiceDispatchRule(models.Model):
    _name = "service.dispatch.rule"
    _inherit = ["service.guarded.mixin"]
    _description = "Service Dispatch Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    request_type = fields.Selection(REQUEST_TYPES, help="Empty: requests of any type.")
    product_category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Units of these categories or their sub-categories; empty: any.",
    )
    country_ids = fields.Many2many("res.country", string="Countries")
    state_ids = fields.Many2many("res.country.state", string="Regions")
    min_priority = fields.Selection(
        PRIORITIES, string="From Priority", help="Only requests of this priority or higher."
    )
    team_id = fields.Many2one("service.team", required=True, check_company=True)
    strategy = fields.Selection(
        [
            ("least_loaded", "Skill Match, Least Loaded"),
            ("round_robin", "Skill Match, Round Robin"),
        ],
        required=True,
        default="least_loaded",
        help="Least loaded: the skilled technician with the fewest open requests "
        "under capacity. Round robin: skilled technicians in turn.",
    )
    last_user_id = fields.Many2one(
        "res.users",
        string="Last Assigned",
        readonly=True,
        check_company=True,
        help="Where round robin resumes: moved by the dispatch only.",
    )
    request_count = fields.Integer(compute="_compute_request_count")

    def _compute_request_count(self):
        counts = dict(
            self.env["service.request"]._read_group(
                [("dispatch_rule_id", "in", self.ids)], ["dispatch_rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.request_count = counts.get(rule, 0)

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | {"last_user_id"}

    def _matches(self, request):
        """Whether this rule applies to ``request`` (reads only prefetched data)."""
        self.ensure_one()
        if self.company_id != request.company_id:
            return False
        if self.request_type and self.request_type != request.request_type:
            return False
        if self.min_priority and (request.priority or "0") < self.min_priority:
            return False
        if self.product_category_ids:
            path = request.product_id.categ_id.parent_path
            if not path or not any(
                path.startswith(categ.parent_path) for categ in self.product_category_ids
            ):
                return False
        partner = request.partner_id
        if self.country_ids and partner.country_id not in self.country_ids:
            return False
        return not (self.state_ids and partner.state_id not in self.state_ids)

    def _first_match(self, request):
        """The first rule of self (in sequence order) that applies to ``request``."""
        for rule in self:
            if rule._matches(request):
                return rule
        return self.browse()

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_repair.service_request_action"
        )
        action["domain"] = [("dispatch_rule_id", "=", self.id)]
        action["context"] = {}
        return action
