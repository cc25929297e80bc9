from odoo import api, fields, models

# The kinds of service requests (service_repair uses the same keys).
REQUEST_TYPES = [
    ("consultation", "Consultation"),
    ("repair", "Repair"),
    ("maintenance", "Maintenance"),
    ("installation", "Installation"),
    ("demonstration", "Demonstration"),
    ("complaint", "Complaint"),
]


class ServiceTeam(models.Model):
    _name = "service.team"
    _description = "Service Team"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    color = fields.Integer()
    user_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        check_company=True,
        domain=[("share", "=", False)],
    )
    member_ids = fields.Many2many(
        "res.users",
        "service_team_member_rel",
        "team_id",
        "user_id",
        string="Technicians",
        check_company=True,
        domain=[("share", "=", False)],
    )
    member_count = fields.Integer(compute="_compute_member_count")
    country_ids = fields.Many2many("res.country", string="Countries")
    state_ids = fields.Many2many("res.country.state", string="Regions")
    cities = fields.Char(
        help="Comma-separated cities this team covers; empty means any city "
        "of its countries and regions.",
    )
    handles_consultation = fields.Boolean(string="Consultations", default=True)
    handles_repair = fields.Boolean(string="Repairs", default=True)
    handles_maintenance = fields.Boolean(string="Maintenance", default=True)
    handles_installation = fields.Boolean(string="Installations", default=True)
    handles_demonstration = fields.Boolean(string="Demonstrations", default=True)
    handles_complaint = fields.Boolean(string="Complaints", default=True)
    equipment_count = fields.Integer(compute="_compute_equipment_count")

    @api.depends("member_ids")
    def _compute_member_count(self):
        for team in self:
            team.member_count = len(team.member_ids)

    def _compute_equipment_count(self):
        counts = dict(
            self.env["service.equipment"]._read_group(
                [("team_id", "in", self.ids)], ["team_id"], ["__count"]
            )
        )
        for team in self:
            team.equipment_count = counts.get(team, 0)

    def action_view_equipment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_base.service_equipment_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id}
        return action

    def _handles(self, request_type):
        """Whether this team takes requests of ``request_type`` (a REQUEST_TYPES key)."""
        self.ensure_one()
        return bool(self[f"handles_{request_type}"])

    def _covers(self, partner):
        """Whether ``partner``'s address lies in this team's territory.

        A team without any territory covers everywhere.
        """
        self.ensure_one()
        if self.country_ids and partner.country_id not in self.country_ids:
            return False
        if self.state_ids and partner.state_id not in self.state_ids:
            return False
        cities = {city.strip().casefold() for city in (self.cities or "").split(",")}
        cities.discard("")
        return not cities or (partner.city or "").strip().casefold() in cities
