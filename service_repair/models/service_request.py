import logging
import re
from datetime import timedelta

import psycopg2.errors
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, email_normalize, format_datetime, html2plaintext

from odoo.addons.service_base.models.service_team import REQUEST_TYPES
from odoo.addons.service_base.tools import (
    action_records,
    add_followers,
    lock_for_update,
    log_notes,
    next_names,
    rpc_text,
)
from odoo.addons.service_base.tools.lang import user_lang_env
from odoo.addons.service_base.tools.plural import count_text

from ..exceptions import ASSIGNMENT_CHECKED, ServiceOverCapacityError

_logger = logging.getLogger(__name__)

# requests named in a technician's digest of assignments; the rest counted
DIGEST_LINKS = 50

# "S/N: AB-123", "serial number AB123", "зав. № 123456", "серийный номер AB-1"
SERIAL_AFTER_KEYWORD = re.compile(
    r"(?:\bs/?n\b|\bserial(?:\s+(?:number|no\.?))?|серийн\w*\s+номер\w*|зав\w*\.?\s*№|№)"
    r"\s*[:#]?\s*([A-Za-z0-9][A-Za-z0-9\-/]{2,})",
    re.IGNORECASE,
)
SERIAL_LIKE = re.compile(r"\b[A-Za-z0-9][A-Za-z0-9\-/]{3,}[A-Za-z0-9]\b")

PRIORITIES = [("0", "Normal"), ("1", "High"), ("2", "Urgent")]
MAIL_TEXT_PARTS = ("subject", "body", "email_from", "message_id", "to", "cc", "from")
CHANNELS = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("web", "Web Form"),
    ("portal", "Portal"),
    ("walk_in", "Walk-in"),
]


class ServiceRequest(models.Model):
    _name = "service.request"
    _description = "Service Request"
    _inherit = [
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "rating.mixin",
        # the customer's unit taken into the workshop and given back
        # (service_request_service_center.py)
        "service.unit.intake.mixin",
        "service.guarded.mixin",
    ]
    _order = "priority desc, id desc"
    _primary_email = "email_from"
    # customers write in the chatter of the requests they can read (portal)
    _mail_post_access = "read"
    _check_company_auto = True
    _mailing_enabled = True
    # An integrator may bring its own reference (old numbers on import); two
    # requests of one company never share one.
    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(company_id, name)",
            "Another service request of this company already has this reference.",
        )
    ]

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
        index="trigram",
    )
    subject = fields.Char(index="trigram", tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, tracking=True, check_company=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    email_from = fields.Char(
        string="Email",
        compute="_compute_email_from",
        store=True,
        readonly=False,
        index="trigram",
    )
    partner_phone = fields.Char(
        string="Phone", compute="_compute_partner_phone", store=True, readonly=False
    )
    channel = fields.Selection(CHANNELS, required=True, default="phone", tracking=True)
    request_type = fields.Selection(
        REQUEST_TYPES, string="Type", required=True, default="repair", tracking=True
    )
    equipment_id = fields.Many2one(
        "service.equipment",
        string="Unit",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)] if commercial_partner_id else []",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        compute="_compute_lot_id",
        store=True,
        readonly=False,
        index=True,
        check_company=True,
    )
    product_id = fields.Many2one(
        "product.product",
        string="Equipment Model",
        compute="_compute_product_id",
        store=True,
        readonly=False,
        index=True,
    )
    categ_id = fields.Many2one(related="product_id.categ_id", string="Product Category")
    description = fields.Html()
    resolution = fields.Html(
        help="The answer given to the customer or what was done (consultations are "
        "answered here and closed on the spot)."
    )
    priority = fields.Selection(PRIORITIES, default="0", index=True, tracking=True)
    stage_id = fields.Many2one(
        "service.request.stage",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
        default=lambda self: self._default_stage_id(),
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    team_id = fields.Many2one("service.team", index=True, tracking=True, check_company=True)
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        index=True,
        tracking=True,
        check_company=True,
        # the pickers offer the service's technicians, not every internal user
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref("service_base.group_service_user").ids),
        ],
        group_expand="_read_group_user_ids",
    )
    date_assigned = fields.Datetime(
        compute="_compute_date_assigned",
        store=True,
        copy=False,
        help="When the request was last given to a technician.",
        groups="base.group_user",
    )
    date_closed = fields.Datetime(
        compute="_compute_date_closed",
        store=True,
        copy=False,
        help="When the request reached a closing stage.",
    )
    date_deadline = fields.Datetime(
        string="Deadline",
        compute="_compute_date_deadline",
        store=True,
        index=True,
        tracking=True,
        copy=False,
    )
    date_scheduled = fields.Datetime(
        string="Scheduled Visit", tracking=True, help="When the technician will be on site."
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue")
    dispatch_rule_id = fields.Many2one(
        "service.dispatch.rule",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
    )
    dispatch_waiting_reason = fields.Char(
        string="Waiting Because",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Why the last dispatch left this request without a technician; the dispatch "
        "notes it in the chatter once, not again at each run while the reason stays.",
    )
    repair_ids = fields.One2many(
        "repair.order", "request_id", string="Repairs", groups="base.group_user"
    )
    repair_count = fields.Integer(compute="_compute_repair_count", groups="base.group_user")
    has_open_repair = fields.Boolean(
        compute="_compute_repair_count",
        groups="base.group_user",
        help="A repair of the request is in progress: a second one is not created.",
    )
    picking_ids = fields.One2many(
        "stock.picking", "service_request_id", string="Transfers", groups="base.group_user"
    )
    picking_count = fields.Integer(compute="_compute_picking_count", groups="base.group_user")
    history_count = fields.Integer(
        string="Unit History", compute="_compute_history_count", groups="base.group_user"
    )
    color = fields.Integer(groups="base.group_user")
    email_message_id = fields.Char(
        string="Origin Message-Id",
        readonly=True,
        copy=False,
        help="Message-Id of the email that opened this request: a second delivery of "
        "the same email cannot open a second request.",
        groups="base.group_user",
    )

    def init(self):
        # One request per incoming email, even when two deliveries of the same
        # message are processed at the same time (Odoo's gateway only searches
        # for a known Message-Id before creating): the second insert fails here.
        # On this addon's table: it goes with the table when the addon is
        # uninstalled (no uninstall_hook needed; tests/test_uninstall.py).
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS service_request_email_message_id_uniq "
                "ON service_request (email_message_id) WHERE email_message_id IS NOT NULL"
            )
        )

    def _default_stage_id(self):
        team_id = self.env.context.get("default_team_id")
        return self._stages_for_team(team_id)[:1]

    @api.model
    def _stages_for_team(self, team_id):
        domain = [("team_ids", "=", False)]
        if team_id:
            domain = ["|", ("team_ids", "=", False), ("team_ids", "in", [team_id])]
        return self.env["service.request.stage"].search(domain)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return self._stages_for_team(self.env.context.get("default_team_id"))

    @api.model
    def _read_group_user_ids(self, users, domain):
        """On the dispatch board (``service_dispatch_board`` in the context),
        every technician of a team has a column, requests or not: the
        dispatcher drops requests there."""
        if not self.env.context.get("service_dispatch_board"):
            return users
        teams = self.env["service.team"].search([])
        technicians = teams.member_ids.filtered(lambda u: u.active and not u.share)
        return self.env["res.users"].search([("id", "in", (users | technicians).ids)])

    @api.depends("partner_id")
    def _compute_email_from(self):
        for request in self:
            if request.partner_id.email:
                request.email_from = request.partner_id.email

    @api.depends("partner_id")
    def _compute_partner_phone(self):
        for request in self:
            if request.partner_id.phone or request.partner_id.mobile:
                request.partner_phone = request.partner_id.phone or request.partner_id.mobile

    @api.depends("equipment_id")
    def _compute_lot_id(self):
        for request in self:
            if request.equipment_id:
                request.lot_id = request.equipment_id.lot_id

    @api.depends("equipment_id", "lot_id")
    def _compute_product_id(self):
        for request in self:
            product = request.equipment_id.product_id or request.lot_id.product_id
            if product:
                request.product_id = product

    @api.depends("user_id")
    def _compute_date_assigned(self):
        now = fields.Datetime.now()
        for request in self:
            # unassigning keeps when the last technician was given the request
            request.date_assigned = now if request.user_id else request.date_assigned

    @api.depends("stage_id")
    def _compute_date_closed(self):
        now = fields.Datetime.now()
        for request in self:
            request.date_closed = now if request.stage_id.is_closed else False

    @api.depends("priority", "company_id", "partner_id", "team_id")
    def _compute_date_deadline(self):
        deadlines = self._get_sla_deadline()
        for request in self:
            request.date_deadline = deadlines.get(request.id) or request.date_deadline

    @api.depends("date_deadline", "is_closed")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_overdue = bool(
                not request.is_closed and request.date_deadline and request.date_deadline < now
            )

    def _compute_repair_count(self):
        counts, open_requests = {}, set()
        for request, state, count in self.env["repair.order"]._read_group(
            [("request_id", "in", self.ids)], ["request_id", "state"], ["__count"]
        ):
            counts[request] = counts.get(request, 0) + count
            if state not in ("done", "cancel"):
                open_requests.add(request)
        for request in self:
            request.repair_count = counts.get(request, 0)
            request.has_open_repair = request in open_requests

    def _compute_picking_count(self):
        counts = dict(
            self.env["stock.picking"]._read_group(
                [("service_request_id", "in", self.ids)], ["service_request_id"], ["__count"]
            )
        )
        for request in self:
            request.picking_count = counts.get(request, 0)

    @api.depends("equipment_id")
    def _compute_history_count(self):
        counts = dict(
            self._read_group(
                [("equipment_id", "in", self.equipment_id.ids)], ["equipment_id"], ["__count"]
            )
        )
        for request in self:
            # the request itself is not part of its unit's history
            request.history_count = max(counts.get(request.equipment_id, 0) - 1, 0)

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/service-requests/{request.id}"

    @api.constrains("equipment_id", "partner_id")
    def _check_equipment_owner(self):
        for request in self:
            error = self._equipment_owner_error(request.equipment_id, request.partner_id)
            if error:
                raise ValidationError(error)

    @api.model
    def _equipment_owner_error(self, unit, partner):
        """Why ``unit`` cannot be the unit of a request of ``partner``, or None."""
        if (
            unit
            and partner
            and unit.commercial_partner_id
            and unit.commercial_partner_id != partner.commercial_partner_id
        ):
            return _(
                "Unit %(unit)s belongs to %(owner)s, not to %(customer)s.",
                unit=unit.display_name,
                owner=unit.commercial_partner_id.display_name,
                customer=partner.commercial_partner_id.display_name,
            )
        return None

    @api.constrains("equipment_id", "lot_id")
    def _check_lot_equipment(self):
        for request in self:
            if request.equipment_id.lot_id and request.lot_id != request.equipment_id.lot_id:
                raise ValidationError(
                    _(
                        "Serial number %(serial)s is not the serial of unit %(unit)s.",
                        serial=request.lot_id.name or "-",
                        unit=request.equipment_id.display_name,
                    )
                )

    @api.constrains("lot_id", "equipment_id")
    def _check_lot_registered(self):
        # A registered serial comes with its unit, and so with its owner check:
        # a serial alone would give a request another customer's warranty.
        loose = self.filtered(lambda r: r.lot_id and not r.equipment_id)
        if not loose:
            return
        # sudo: only whether a unit carries the serial is used; the message
        # names the serial the caller chose, nothing of the unit.
        units = (
            self.env["service.equipment"]
            .sudo()
            .with_context(active_test=False)
            .search([("lot_id", "in", loose.lot_id.ids)])
        )
        for request in loose:
            unit = units.filtered(
                lambda u, r=request: u.lot_id == r.lot_id and u.company_id == r.company_id
            )[:1]
            if unit:
                raise ValidationError(
                    _(
                        "Serial number %(serial)s is registered as a unit: choose the unit, "
                        "not only its serial.",
                        serial=request.lot_id.name,
                    )
                )

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        if self.equipment_id and not self.partner_id:
            self.partner_id = self.equipment_id.partner_id
        if self.equipment_id.team_id and not self.team_id:
            self.team_id = self.equipment_id.team_id

    @api.model_create_multi
    def create(self, vals_list):
        # one draw of the sequence per company for the batch
        unnamed = {}
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                company_id = vals.get("company_id") or self.env.company.id
                unnamed.setdefault(company_id, []).append(vals)
        for company_id, group in unnamed.items():
            company = self.env["res.company"].browse(company_id)
            names = next_names(self.env, "service.request", len(group), company)
            for vals, name in zip(group, names, strict=True):
                vals["name"] = name or _("New")
        requests = super().create(vals_list)
        requests._subscribe_customers()
        requests.filtered("user_id")._check_assignment()
        requests.filtered("user_id")._advance_to_assigned()
        return requests

    def write(self, vals):
        reassigned = self.browse()
        if vals.get("user_id"):
            reassigned = self.filtered(lambda r: r.user_id.id != vals["user_id"])
        # A closed request opened again takes its technician back to work:
        # the assignment's checks hold for them as for a new one.
        reopened = self.browse()
        if vals.get("stage_id") and not (
            self.env["service.request.stage"].browse(vals["stage_id"]).is_closed
        ):
            reopened = self.filtered(lambda r: r.is_closed and r.user_id)
        res = super().write(vals)
        if vals.get("partner_id"):
            self._subscribe_customers()
        (reassigned | reopened)._check_assignment()
        if "user_id" in vals and "stage_id" not in vals:
            if vals["user_id"]:
                self._advance_to_assigned()
            else:
                self._back_to_new()
        if vals.get("stage_id"):
            self._send_rating_requests()
        return res

    def _service_guarded_fields(self):
        # Facts of the request's life (closing, assignment, SLA deadline,
        # dispatch, origin email) and the related columns that record rules
        # and the dispatch queue read: never written by hand.
        return super()._service_guarded_fields() | {
            "date_assigned",
            "date_closed",
            "date_deadline",
            "dispatch_rule_id",
            "email_message_id",
            "commercial_partner_id",
            "is_closed",
            "dispatch_waiting_reason",
        }

    def _advance_to_assigned(self):
        """A new request that gets its technician (by dispatch or by hand) is
        no longer new: it moves to "Assigned", in one write for the batch."""
        new = self.env.ref("service_repair.stage_new", raise_if_not_found=False)
        assigned = self.env.ref("service_repair.stage_assigned", raise_if_not_found=False)
        if not new or not assigned or not assigned.active:
            return
        self.filtered(lambda request: request.stage_id == new).stage_id = assigned

    def _back_to_new(self):
        """An unassigned request that waited for its technician in "Assigned"
        is new again (back in the dispatch queue's stage); one whose work went
        further keeps its stage."""
        new = self.env.ref("service_repair.stage_new", raise_if_not_found=False)
        assigned = self.env.ref("service_repair.stage_assigned", raise_if_not_found=False)
        if not new or not assigned or not new.active:
            return
        self.filtered(lambda request: request.stage_id == assigned).stage_id = new

    def _check_assignment(self):
        """Refuse to give these requests to their technician where the dispatch
        would not: a technician whose teams neither include the request's team
        nor cover the customer's territory, one without the skill for the unit
        when a technician of the team has it, or one past their capacity of
        open requests (unless ``service_over_capacity`` is in the context: the
        dispatcher confirmed). The dispatch itself and the suite's own actions
        have chosen already and are not checked again."""
        requests = self.filtered("user_id")
        if (
            not requests
            or self._service_guarded_free()
            or self.env.context.get("service_assignment_checked") is ASSIGNMENT_CHECKED
        ):
            return
        env = user_lang_env(self.env)
        users = requests.user_id
        teams = self.env["service.team"].search([("member_ids", "in", users.ids)])
        # A closed request too: given to anyone, it would take them along
        # when it is opened again.
        for request in requests:
            request.with_env(env)._check_assignment_team_skill(teams)
        users = requests.filtered(lambda r: not r.is_closed).user_id.filtered("service_capacity")
        if not users:
            return
        over_capacity = self.env.context.get("service_over_capacity")
        if over_capacity:
            if over_capacity is True and self.env.user._has_group(
                "service_base.group_service_manager"
            ):
                return
            raise UserError(
                env._(
                    "Only a service manager can give a technician more requests than "
                    "their capacity."
                )
            )
        # Two assignments at once must not both find the last free place: the
        # second waits for the first and counts again (lock_for_update).
        lock_for_update(users)
        loads = self._service_load(users)
        forms = env._("open request|open requests")
        for user in users:
            load = loads.get(user.id, 0)
            if load > user.service_capacity:
                raise ServiceOverCapacityError(
                    env._(
                        "%(user)s would have %(load)s, over their capacity of %(capacity)s.",
                        user=user.name,
                        load=count_text(env, load, forms),
                        capacity=user.service_capacity,
                    )
                )

    def _check_assignment_team_skill(self, teams):
        """The team and skill checks of ``_check_assignment`` for one request,
        among ``teams`` (the technicians' teams, prefetched)."""
        self.ensure_one()
        user = self.user_id
        own_teams = teams.filtered(
            lambda t: user in t.member_ids and t.company_id == self.company_id
        )
        if self.team_id not in own_teams:
            covering = own_teams.filtered(
                lambda t: (
                    t._handles(self.request_type)
                    and (not self.partner_id or t._covers(self.partner_id))
                )
            )
            if not covering:
                if not own_teams:
                    message = self.env._(
                        "%(user)s is not a technician of any service team: add them to "
                        "a team before assigning %(request)s.",
                        user=user.name,
                        request=self.name,
                    )
                else:
                    message = self.env._(
                        "%(user)s cannot take %(request)s: their teams (%(teams)s) do not "
                        "cover the address of %(customer)s or do not take %(type)s requests.",
                        user=user.name,
                        request=self.name,
                        teams=", ".join(own_teams.mapped("display_name")),
                        customer=self.partner_id.display_name or "-",
                        type=dict(
                            self._fields["request_type"]._description_selection(self.env)
                        ).get(self.request_type),
                    )
                raise UserError(message)
        product = self.product_id
        if not product or user._service_can_repair(product):
            return
        # As the dispatch does: the skilled technicians first, anyone of the
        # team when the team has none.
        pool = self.team_id.member_ids or own_teams.member_ids
        skilled = pool.filtered(lambda u: u._service_can_repair(product))
        if skilled:
            raise UserError(
                self.env._(
                    "%(user)s has no skill for %(category)s (%(request)s); technicians "
                    "who have it: %(skilled)s.",
                    user=user.name,
                    category=product.categ_id.display_name,
                    request=self.name,
                    skilled=", ".join(skilled.sorted("name").mapped("name")),
                )
            )

    def _subscribe_customers(self):
        # The customer follows their request: replies and stage changes reach them.
        # One statement for the batch (a follower already there stays).
        add_followers(self, {request.id: request.partner_id.ids for request in self})

    def _creation_message(self):
        # Odoo's "%s created" with the model's name reads «Заявка на
        # обслуживание создан» in Russian: the request says it in its own words.
        self.ensure_one()
        return _("Service request created")

    def _send_rating_requests(self):
        """Ask the customer to rate a request that reached a stage with a
        rating template, if the company rates requests of its type
        (Settings > Service Requests > Customer Ratings)."""
        # sudo: the company's policy is read to decide, by any user moving the stage.
        for request in self.filtered(
            lambda r: (
                r.stage_id.rating_template_id
                and r.partner_id
                and r.company_id.sudo()._service_rates(r.request_type)
            )
        ):
            request.rating_send_request(
                request.stage_id.rating_template_id, lang=request.partner_id.lang
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {"default_request_id": self.id}
        if self.repair_count == 1:
            action.update(views=[(False, "form")], res_id=self.repair_ids.id)
        return action

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("service_request_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_view_unit_history(self):
        """Open the unit's past requests (with their repairs one click further)."""
        self.ensure_one()
        if not self.equipment_id:
            raise UserError(_("This request has no unit: there is no history to show."))
        return self.equipment_id._action_view_service_requests(exclude=self)

    def action_view_equipment(self):
        """Open the unit's own form: its whole record (requests, repairs, deliveries,
        and what other addons add, such as contracts and warranty)."""
        self.ensure_one()
        if not self.equipment_id:
            raise UserError(_("This request has no unit: there is no history to show."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.equipment",
            "res_id": self.equipment_id.id,
            "views": [(False, "form")],
        }

    def action_close(self):
        """Close the requests in their team's first closing stage (consultations answered
        on the spot, requests fully handled)."""
        stages = self.env["service.request.stage"].search([("is_closed", "=", True)])
        plan = {
            request: stages.filtered(
                lambda s, r=request: not s.team_ids or r.team_id in s.team_ids
            )[:1]
            for request in self.filtered(lambda r: not r.is_closed)
        }
        if not all(plan.values()):
            raise UserError(_("No closing stage is configured for service requests."))
        for request, stage in plan.items():
            request.stage_id = stage
        return True

    # ------------------------------------------------------------------
    # Dispatch
    # ------------------------------------------------------------------

    def action_dispatch(self):
        """Assign team, technician and deadline to the open, unassigned requests of
        this recordset, following the dispatch rules.

        Requests locked by a concurrent dispatcher are skipped (they are being
        assigned there); the number of SQL queries does not depend on the number
        of requests. Returns the ids of the requests this call dispatched.
        """
        return self._dispatch().ids

    def _dispatch(self):
        """``action_dispatch``, returning the requests it dispatched."""
        requests = self._lock_for_dispatch()
        if not requests:
            return requests
        rules = self.env["service.dispatch.rule"].search([])
        teams = self.env["service.team"].search([])
        default_teams = {
            company.id: company.service_default_team_id for company in requests.company_id
        }
        # what each request waited for: a request that waits on as it waited
        # gets no new note (the cron tries the queue every few minutes)
        before = {
            r.id: (r.team_id, r.dispatch_rule_id, r.dispatch_waiting_reason) for r in requests
        }
        plan = {}
        for request in requests:
            rule = rules._first_match(request)
            team = request._dispatch_team(rule, teams, default_teams[request.company_id.id])
            plan[request] = (rule, team)
        candidates = self.env["res.users"].union(*(team.member_ids for __, team in plan.values()))
        # Two dispatches at once must not both fill a technician's last place.
        lock_for_update(candidates.filtered("service_capacity"))
        loads = self._service_load(candidates)
        assigned_notes = {}
        pairs = {}
        round_robin_last = {}
        for request, (rule, team) in plan.items():
            strategy = rule.strategy if rule else "least_loaded"
            user, reason = request._pick_technician(
                team, strategy, loads, round_robin_last.get(rule, rule.last_user_id)
            )
            if user:
                loads[user.id] = loads.get(user.id, 0) + 1
                if rule and strategy == "round_robin":
                    round_robin_last[rule] = user
            pairs.setdefault((team, user, rule), []).append(request.id)
            assigned_notes[request.id] = (team, user, rule, reason)
        for (team, user, rule), ids in pairs.items():
            group = self.browse(ids)
            vals = {"team_id": team.id, "dispatch_rule_id": rule.id}
            if user:
                vals["user_id"] = user.id
                vals["dispatch_waiting_reason"] = False
            # Tracking and the assignment email would cost one message per
            # request: the batch note below records the same change (and why),
            # and each technician gets one digest; the technicians follow their
            # requests in one statement below.
            action_records(group).with_context(tracking_disable=True).write(vals)
        add_followers(
            requests, {request.id: request.user_id.partner_id.ids for request in requests}
        )
        for rule, user in round_robin_last.items():
            # sudo: dispatchers only read rules; moving the round-robin pointer
            # is part of dispatching and changes nothing else on the rule.
            action_records(rule.sudo()).last_user_id = user
        # the deadline is recomputed from the new team: write it in the note too
        env = user_lang_env(self.env)
        noted = requests.filtered(
            lambda r: (
                r.user_id
                or before[r.id]
                != (assigned_notes[r.id][0], assigned_notes[r.id][2], assigned_notes[r.id][3])
            )
        )
        waiting = {}
        for request in noted.filtered(lambda r: not r.user_id):
            waiting.setdefault(assigned_notes[request.id][3], []).append(request.id)
        for reason, ids in waiting.items():
            action_records(self.browse(ids)).with_context(mail_notrack=True).write(
                {"dispatch_waiting_reason": reason}
            )
        if noted:
            log_notes(
                noted,
                {
                    request.id: request.with_env(env)._dispatch_note(*assigned_notes[request.id])
                    for request in noted
                },
            )
        if not self.env.context.get("service_digest_later"):
            # a caller dispatching in batches sends each technician one
            # digest of all its batches itself (the maintenance plans' run)
            requests._notify_technicians()
        return requests

    def _notify_technicians(self):
        """Send each technician one message listing the requests just assigned."""
        by_user = {}
        for request in self.filtered("user_id"):
            by_user.setdefault(request.user_id, []).append(request)
        for user, requests in by_user.items():
            # a year's first maintenance run assigns thousands: a digest
            # names the first ones and counts the rest (the list has them all)
            links = Markup(", ").join(
                r._get_html_link(title=r.name) for r in requests[:DIGEST_LINKS]
            )
            Thread = self.env["mail.thread"].with_context(lang=user.lang)
            body = Thread.env._("You have been assigned: %(requests)s", requests=links)
            if len(requests) > DIGEST_LINKS:
                body = Thread.env._(
                    "%(assigned)s and %(more)s more: your list of requests shows them all.",
                    assigned=body,
                    more=len(requests) - DIGEST_LINKS,
                )
            Thread.message_notify(
                partner_ids=user.partner_id.ids,
                subject=Thread.env._(
                    "Service requests assigned to you: %(count)s", count=len(requests)
                ),
                body=Markup("<p>%s</p>") % body,
            )

    def action_dispatch_queue(self):
        """Dispatch the selected requests, or every open unassigned one when none
        is selected; tell the user how many were assigned."""
        requests = self or self.search([("user_id", "=", False), ("is_closed", "=", False)])
        dispatched = requests._dispatch()
        assigned = dispatched.filtered("user_id")
        message = _(
            "%(assigned)s of %(total)s requests assigned to a technician.",
            assigned=len(assigned),
            total=len(dispatched),
        )
        # why the others wait, as their notes say it
        reasons = sorted(set((dispatched - assigned).mapped("dispatch_waiting_reason")) - {False})
        if reasons:
            message = _(
                "%(message)s Waiting: %(reasons)s.", message=message, reasons="; ".join(reasons)
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Dispatch"),
                "message": message,
                "type": "success" if assigned else "warning",
                # closing reloads the view that called the button
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _lock_for_dispatch(self):
        """Lock the open unassigned requests of self that no one else is dispatching."""
        if not self.ids:
            return self.browse()
        # the rights first: the query below reads and locks rows as SQL does
        self.browse().check_access("write")
        self.flush_model()
        # The ORM has no row locking: SKIP LOCKED leaves the requests another
        # dispatcher holds to that dispatcher instead of waiting for it.
        self.env.cr.execute(
            SQL(
                """
                SELECT r.id FROM service_request r
                  LEFT JOIN service_request_stage s ON s.id = r.stage_id
                 WHERE r.id = ANY(%s) AND r.user_id IS NULL AND r.active
                   AND COALESCE(s.is_closed, FALSE) = FALSE
                 ORDER BY r.id
                   FOR NO KEY UPDATE OF r SKIP LOCKED
                """,
                list(self.ids),
            ),
            # a concurrent dispatcher's commit is retried, not a bad query
            log_exceptions=False,
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _service_load(self, users):
        """Open requests per technician, as {user_id: count}."""
        if not users:
            return {}
        return {
            user.id: count
            for user, count in self.sudo()._read_group(
                [("user_id", "in", users.ids), ("is_closed", "=", False)],
                ["user_id"],
                ["__count"],
            )
        }

    def _dispatch_team(self, rule, teams, default_team):
        """The team the dispatch gives this request to: the rule's, the
        request's own, the one that covers it, else the company's default."""
        self.ensure_one()
        return rule.team_id or self.team_id or self._find_team(teams) or default_team

    def _find_team(self, teams):
        """First team handling this request's type and covering its customer."""
        self.ensure_one()
        if self.equipment_id.team_id:
            return self.equipment_id.team_id
        partner = self.partner_id
        for team in teams:
            if team.company_id != self.company_id or not team._handles(self.request_type):
                continue
            if not partner or team._covers(partner):
                return team
        return teams.browse()

    def _pick_technician(self, team, strategy, loads, last_user):
        """Return (technician, reason) for this request within ``team``."""
        self.ensure_one()
        members = team.member_ids.sorted("id")
        if not members:
            return members, _("the team has no technicians")
        product = self.product_id
        skilled = members.filtered(lambda u: u._service_can_repair(product)) if product else members
        pool = skilled or members
        free = pool.filtered(
            lambda u: not u.service_capacity or loads.get(u.id, 0) < u.service_capacity
        )
        if not free:
            if product and skilled:
                return free, _(
                    "every technician of the team with the skill for %(category)s is at full "
                    "capacity",
                    category=product.categ_id.display_name,
                )
            return free, _("every technician of the team is at full capacity")
        skill_note = (
            _("skill match for %(category)s", category=product.categ_id.display_name)
            if product and skilled
            else _("no skill match, any technician of the team")
        )
        if strategy == "round_robin":
            after = free.filtered(lambda u: u.id > last_user.id)
            user = after[:1] or free[:1]
            return user, _("%(skill)s, round robin", skill=skill_note)
        user = min(free, key=lambda u: (loads.get(u.id, 0), u.id))
        return user, _(
            "%(skill)s, least loaded (%(load)s open of %(capacity)s)",
            skill=skill_note,
            load=loads.get(user.id, 0),
            capacity=user.service_capacity or "∞",
        )

    # Reads only: served by a read-only replica when odoo.conf names one.
    @api.readonly
    @api.model
    def service_dispatch_board_columns(self, user_ids):
        """The headers of the dispatch board's technician columns, in a fixed
        number of queries whatever the number of technicians:
        ``{"<user id>": {"load": open requests, "capacity": at most (0: no
        limit), "skills": [skill names]}}`` (skill names in the context's
        language). The keys are the ids as strings, as JSON and XML-RPC carry
        them."""
        if not isinstance(user_ids, (list, tuple)) or not all(
            isinstance(user_id, int) and not isinstance(user_id, bool) for user_id in user_ids
        ):
            raise UserError(_("Give the technicians as a list of user ids."))
        users = self.env["res.users"].browse(user_ids).exists()
        loads = self._service_load(users)
        users.fetch(["service_capacity", "service_skill_ids"])
        users.service_skill_ids.fetch(["name"])
        # string keys: XML-RPC's structs take no others (JSON would make them so)
        return {
            str(user.id): {
                "load": loads.get(user.id, 0),
                "capacity": user.service_capacity,
                "skills": user.service_skill_ids.sorted("name").mapped("name"),
            }
            for user in users
        }

    def _dispatch_note(self, team, user, rule, reason):
        if user:
            who = _(
                "Dispatched by %(author)s to %(team)s, technician %(user)s",
                author=self.env.user.name,
                team=team.display_name or "-",
                user=user.name,
            )
        else:
            who = _(
                "Dispatched by %(author)s to %(team)s, no technician assigned",
                author=self.env.user.name,
                team=team.display_name or "-",
            )
        why = (
            _("rule %(rule)s", rule=rule.name)
            if rule
            else _("no dispatch rule matched: team by unit, territory or company default")
        )
        note = _("%(who)s (%(why)s; %(reason)s).", who=who, why=why, reason=reason)
        if self.date_deadline:
            note = _(
                "%(note)s Deadline: %(deadline)s.",
                note=note,
                deadline=format_datetime(self.env, self.date_deadline),
            )
        return note

    def _get_sla_deadline(self):
        """Deadline of each request, as {request_id: datetime}.

        Counted from the request's creation (``_service_sla_start``) with the per-priority resolution time
        of its company's settings; service_contracts overrides this with the SLA
        policy of the customer's contract.
        """
        deadlines = {}
        for request in self:
            hours = request.company_id[f"service_deadline_hours_{request.priority or '0'}"]
            if hours:
                deadlines[request.id] = request._service_sla_start() + timedelta(hours=hours)
        return deadlines

    def _service_sla_start(self):
        """When the request's SLA clock starts: its arrival (its creation).
        Addons move it for requests that are planned ahead (a planned
        maintenance counts from its due date)."""
        self.ensure_one()
        return self.create_date or fields.Datetime.now()

    @api.model
    def _cron_dispatch(self, limit=500):
        """Dispatch new unassigned requests; leave to the next run what a
        concurrent transaction holds."""
        requests = self.search(
            [("user_id", "=", False), ("is_closed", "=", False)], order="id", limit=limit
        )
        try:
            with self.env.cr.savepoint():
                # The cron's user (OdooBot) reads no language: a request's
                # notes are written in its team manager's, else its company's.
                by_lang = {}
                for request in requests:
                    lang = (
                        self.env.lang
                        or request.team_id.user_id.lang
                        or request.company_id.partner_id.lang
                        or "en_US"
                    )
                    by_lang.setdefault(lang, []).append(request.id)
                for lang, ids in by_lang.items():
                    self.browse(ids).with_context(lang=lang)._dispatch()
        except psycopg2.errors.SerializationFailure:
            # As ir_cron does for its jobs: another transaction changed these
            # rows after ours began; the next run sees its result.
            _logger.info("Service request dispatch deferred: concurrent update.")
            return False
        return True

    # ------------------------------------------------------------------
    # Repairs
    # ------------------------------------------------------------------

    def action_create_repair(self):
        """Create a repair order prefilled from this request and open it.

        One repair in progress per request, also when two users click at once:
        another one can follow once it is done or cancelled.
        """
        self.ensure_one()
        lock_for_update(self)
        open_repair = self.repair_ids.filtered(lambda r: r.state not in ("done", "cancel"))[:1]
        if open_repair:
            raise UserError(
                _(
                    "Request %(request)s already has repair %(repair)s in progress: "
                    "open it from the Repairs tab.",
                    request=self.name,
                    repair=open_repair.name,
                )
            )
        if not self.product_id:
            raise UserError(
                _("Set the unit or the equipment model of %(request)s first.", request=self.name)
            )
        if self.is_closed:
            raise UserError(_("Request %(request)s is closed.", request=self.name))
        repair = self.env["repair.order"].create(self._prepare_repair_order_vals())
        if self.equipment_id and self.equipment_id.state == "in_use":
            action_records(self.equipment_id).state = "in_repair"
        self.message_post(
            body=_("Repair order %(repair)s created.", repair=repair._get_html_link())
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "repair.order",
            "res_id": repair.id,
            "views": [(False, "form")],
        }

    def _prepare_repair_order_vals(self):
        """Values of a repair order for this request (override to add more)."""
        self.ensure_one()
        return {
            "request_id": self.id,
            "equipment_id": self.equipment_id.id,
            "partner_id": self.partner_id.id,
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
            "company_id": self.company_id.id,
            "user_id": self.user_id.id or self.env.user.id,
            "priority": "1" if self.priority in ("1", "2") else "0",
            "under_warranty": self._is_under_warranty(),
            "internal_notes": self.description,
            "service_complaint": html2plaintext(self.description or "") or self.subject,
            **self._prepare_repair_location_vals(),
        }

    def _prepare_repair_location_vals(self):
        """The repair works on the unit where it is kept as its customer's
        stock (the repair location after the intake)."""
        return self._service_unit_location_vals()

    def _is_under_warranty(self):
        """Whether the unit is under warranty today, when a warranty source is
        installed (service_contracts adds ``stock.lot.service_warranty_status``).

        Only for the customer the warranty belongs to: a request without a
        customer, or whose customer is not the one the serial was sold to, is
        not under warranty whatever the serial's warranty says.
        """
        self.ensure_one()
        return self._service_lot_in_warranty(self.lot_id, self.partner_id)

    @api.model
    def _service_lot_in_warranty(self, lot, partner):
        """Whether serial ``lot`` is under the warranty that makes a repair free
        for customer ``partner`` (False without a warranty source)."""
        Lot = self.env["stock.lot"]
        if not lot or not partner or not hasattr(Lot, "service_warranty_status"):
            return False
        status = Lot.service_warranty_status(lot.name)
        holder = status.get("partner")
        if isinstance(holder, (list, tuple)) and holder:
            # sudo: only compared with this customer, never shown.
            holder = self.env["res.partner"].sudo().browse(holder[0]).commercial_partner_id
            if holder != partner.commercial_partner_id:
                return False
        return self._service_warranty_makes_free(status)

    @api.model
    def _service_warranty_makes_free(self, status):
        """Whether the warranty ``status`` (of ``service_warranty_status``) makes
        the whole repair free."""
        return bool(status.get("in_warranty"))

    def _close_when_repairs_done(self):
        """Close the requests whose repairs are all done (cancelled ones aside)."""
        done = self.filtered(
            lambda r: (
                not r.is_closed
                and r.repair_ids.filtered(lambda o: o.state != "cancel")
                and all(o.state == "done" for o in r.repair_ids if o.state != "cancel")
            )
        )
        if not done:
            # Nothing to close: and a salesperson cancelling a quotation (which
            # cancels its repairs, often none) may not read request stages.
            return
        units = done.equipment_id.filtered(lambda u: u.state == "in_repair")
        action_records(units).state = "in_use"
        done.action_close()

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------

    # The mail gateway's hook, answering with the new record: not an RPC method
    # (mail reaches it through message_process, which answers with the id).
    @api.model
    @api.private
    def message_new(self, msg_dict, custom_values=None):
        """Open a request from an incoming email: customer by sender, unit by a
        serial number written in the subject or body.

        A serial links its unit only when the sender is the unit's owner or one
        of the owner's contacts. Otherwise (another customer's serial, or a
        sender who is no customer) the request opens without a unit, so
        without warranty, and the team leader gets an activity to check it.
        """
        if not isinstance(msg_dict, dict) or not isinstance(custom_values or {}, dict):
            raise UserError(_("An incoming email is a dictionary of its parts."))
        # The mail gateway gives text (or False) for these: keep only that.
        msg_dict = {
            key: value
            for key, value in msg_dict.items()
            if key not in MAIL_TEXT_PARTS or isinstance(value, str) or value in (None, False)
        }
        for key in MAIL_TEXT_PARTS:
            if msg_dict.get(key):
                # Lone surrogates refused, NUL dropped: neither fits a text column.
                msg_dict[key] = rpc_text(self.env, msg_dict[key], _("Email %(part)s", part=key))
        # The gateway sets the facts below itself (under the action's key): an
        # alias default or an RPC caller's values may not set guarded fields.
        guarded = self._service_guarded_fields()
        values = {key: value for key, value in (custom_values or {}).items() if key not in guarded}
        values.setdefault("channel", "email")
        # the reference is a sequence, not the subject (mail.thread's default)
        values["name"] = _("New")
        values.setdefault("subject", msg_dict.get("subject") or _("(no subject)"))
        values["email_message_id"] = msg_dict.get("message_id") or False
        values.setdefault("email_from", msg_dict.get("email_from"))
        values.setdefault("description", msg_dict.get("body"))
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        partner = self._find_sender_partner(msg_dict, company)
        if partner and not values.get("partner_id"):
            values["partner_id"] = partner.id
        customer = self.env["res.partner"].browse(values.get("partner_id") or [])
        text = f"{msg_dict.get('subject') or ''}\n{html2plaintext(msg_dict.get('body') or '')}"
        unit, lot, mentioned = self._find_unit_in_text(text, customer, company)
        if unit:
            values["equipment_id"] = unit.id
            values.setdefault("team_id", unit.team_id.id or values.get("team_id"))
        # The Message-Id is a fact of the gateway, which no client may write.
        request = (
            super(ServiceRequest, action_records(self))
            .message_new(msg_dict, custom_values=values)
            .with_env(self.env)
        )
        if not unit:
            request._schedule_identify_unit(lot, mentioned)
        return request

    @api.model
    def _find_sender_partner(self, msg_dict, company):
        """The contact who sent the email, among the partners of ``company``
        (another company's contact is no customer here)."""
        Partner = self.env["res.partner"]
        author_id = msg_dict.get("author_id")
        valid_id = isinstance(author_id, int) and not isinstance(author_id, bool)
        partner = Partner.browse(author_id if valid_id else [])
        if partner.exists() and partner.company_id in (company, Partner.company_id):
            return partner
        email = email_normalize(msg_dict.get("email_from") or "")
        if not email:
            return Partner
        return Partner.search(
            [("email_normalized", "=", email), ("company_id", "in", [company.id, False])],
            order="is_company desc, id",
            limit=1,
        )

    @api.model
    def _find_unit_in_text(self, text, partner, company):
        """Find in ``text`` a serial number of a unit of ``partner``.

        Returns (unit, lot, mentioned): the unit of ``partner`` (its owner or a
        contact of the owner) whose serial is written in the text, never a unit
        of anyone else nor any unit for an unknown sender; else the lot alone
        when the serial is known but is not one of this customer's units (to
        tell the person who checks the request); and the serial-like words
        written after "S/N", "serial", "зав. №"... (for the person who has to
        identify the unit).
        """
        mentioned = [m.group(1).strip(".,;:") for m in SERIAL_AFTER_KEYWORD.finditer(text)]
        tokens = set(mentioned) | {
            t.strip(".,;:") for t in SERIAL_LIKE.findall(text) if any(c.isdigit() for c in t)
        }
        tokens |= {t.upper() for t in tokens}
        Unit = self.env["service.equipment"]
        if not tokens:
            return Unit, self.env["stock.lot"], mentioned
        lots = self.env["stock.lot"].search(
            [("name", "in", list(tokens)), ("company_id", "in", [company.id, False])]
        )
        units = Unit
        if partner and lots:
            units = Unit.search(
                [
                    ("lot_id", "in", lots.ids),
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                ],
                limit=1,
            )
        return units, lots[:1], mentioned

    def _schedule_identify_unit(self, lot, mentioned):
        self.ensure_one()
        summary = False
        if lot:
            known = (
                _(
                    "Serial number %(serial)s is known, but no unit of this customer carries it.",
                    serial=lot.name,
                )
                if self.partner_id
                else _(
                    "Serial number %(serial)s is known, but the sender is no registered customer.",
                    serial=lot.name,
                )
            )
            note = _(
                "%(known)s The request is linked to no unit and is not under warranty: "
                "check who wrote before linking one.",
                known=known,
            )
            summary = _("Check the sender")
        elif mentioned:
            note = _(
                "Serial numbers written in the email but not registered: %(serials)s",
                serials=", ".join(mentioned),
            )
        else:
            note = _("No serial number was recognised in the email.")
        self.activity_schedule(
            "service_repair.mail_activity_type_identify_unit",
            summary=summary,
            note=note,
            user_id=(self.team_id.user_id or self.env.company.service_default_team_id.user_id).id
            or self.env.user.id,
        )

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("service_repair.mt_service_request_stage")
        return super()._track_subtype(init_values)
