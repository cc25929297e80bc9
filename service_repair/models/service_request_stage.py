from odoo import fields, models


class ServiceRequestStage(models.Model):
    _name = "service.request.stage"
    _description = "Service Request Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True, groups="base.group_user")
    fold = fields.Boolean(
        string="Folded in Kanban", help="Requests in this stage are folded in the kanban view."
    )
    is_closed = fields.Boolean(
        string="Closing Stage",
        help="Requests in this stage are finished: they leave the workload of "
        "technicians and the dispatch queue.",
    )
    sla_paused = fields.Boolean(
        string="SLA Paused",
        help="The SLA clock stops while a request is in this stage (waiting for parts, "
        "at a service centre): its deadlines move by the working time spent here.",
        groups="base.group_user",
    )
    waiting_customer = fields.Boolean(
        string="Waiting for the Customer",
        help="Requests in this stage wait for the customer's answer; the SLA clock stops "
        "here when the request's SLA policy pauses while waiting for the customer.",
        groups="base.group_user",
    )
    team_ids = fields.Many2many(
        "service.team",
        string="Teams",
        help="Teams that use this stage; empty means every team.",
        groups="base.group_user",
    )
    rating_template_id = fields.Many2one(
        "mail.template",
        string="Rating Email Template",
        domain=[("model", "=", "service.request")],
        help="When a request reaches this stage, this email asks the customer to rate the service.",
        groups="base.group_user",
    )
