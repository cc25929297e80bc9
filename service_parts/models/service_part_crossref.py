from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import create_index

from ..tools import MAX_CODE_LENGTH, check_product_pair, fill_product_pair, normalize_code

CODE_TYPES = [
    ("oem", "OEM"),
    ("supplier", "Supplier"),
    ("analog", "Analog"),
    ("barcode", "Barcode"),
    ("superseded", "Superseded"),
]


class ServicePartCrossref(models.Model):
    _name = "service.part.crossref"
    _inherit = ["service.guarded.mixin"]
    _description = "Spare Part Cross-reference"
    _order = "product_tmpl_id, code_type, code, id"
    _rec_name = "code"
    _check_company_auto = True

    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        ondelete="cascade",
        index=True,
    )
    product_tmpl_id = fields.Many2one(
        "product.template",
        string="Part Template",
        required=True,
        ondelete="cascade",
        index=True,
    )
    code = fields.Char(required=True)
    code_type = fields.Selection(CODE_TYPES, string="Type", required=True, default="oem")
    partner_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        check_company=True,
        help="Whose number it is: the manufacturer for OEM numbers, the supplier "
        "for supplier numbers, the competitor for analogs.",
    )
    normalized_code = fields.Char(
        compute="_compute_normalized_code",
        store=True,
        index="trigram",
        help="Upper-case letters and digits of the code: the lookup searches this.",
    )
    # The part's company; on a part shared by every company, the company whose
    # number this is (another company's import must not show its supplier's
    # codes to everyone), or none: a number every company sees.
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
    )
    note = fields.Char()

    _sql_constraints = [
        (
            "crossref_unique",
            "UNIQUE NULLS NOT DISTINCT (product_id, code_type, partner_id, normalized_code,"
            " company_id)",
            "This number is already recorded for the part with the same type and partner.",
        ),
    ]

    def init(self):
        # Odoo 18 gives a trigram field only a GIN index: fragments are fast, but
        # exact and prefix lookups through GIN are several times slower than a
        # btree. text_pattern_ops serves both "=" and "LIKE 'ABC%'".
        create_index(
            self.env.cr,
            "service_part_crossref_normalized_code_btree",
            self._table,
            ["normalized_code text_pattern_ops"],
        )

    @api.depends("code")
    def _compute_normalized_code(self):
        for crossref in self:
            crossref.normalized_code = normalize_code(crossref.code)

    @api.depends("product_tmpl_id.company_id")
    def _compute_company_id(self):
        for crossref in self:
            crossref.company_id = crossref.product_tmpl_id.company_id or crossref.company_id

    @api.constrains("company_id", "product_tmpl_id")
    def _check_company_of_part(self):
        allowed = self.env.user.company_ids
        for crossref in self:
            if not self.env.su and crossref.company_id and crossref.company_id not in allowed:
                # as the companies' record rule answers a create
                raise AccessError(
                    _(
                        "The number %(code)s can belong only to one of your companies, "
                        "or to none (a number every company sees).",
                        code=crossref.code,
                    )
                )
            part_company = crossref.product_tmpl_id.company_id
            if part_company and crossref.company_id != part_company:
                raise ValidationError(
                    _(
                        "The number %(code)s belongs to the company of its part, %(company)s.",
                        code=crossref.code,
                        company=part_company.display_name,
                    )
                )

    @api.constrains("code")
    def _check_code(self):
        for crossref in self:
            if not crossref.normalized_code:
                raise ValidationError(
                    _(
                        "The number %(code)s has no letters or digits.",
                        code=crossref.code,
                    )
                )

    @api.constrains("product_id", "product_tmpl_id")
    def _check_product_pair(self):
        check_product_pair(self, "product_id", "product_tmpl_id")

    @api.model
    def _check_code_length(self, codes):
        # Before the insert: the unique index refuses long numbers with a
        # database error, not a sentence.
        if any(isinstance(code, str) and len(code) > MAX_CODE_LENGTH for code in codes):
            raise ValidationError(
                _("A part number has at most %(max)s characters.", max=MAX_CODE_LENGTH)
            )

    def _check_unique_keys(self, keys):
        """Refuse duplicates before the database does, with a readable message.

        ``keys``: [(product id, code type, partner id or False, normalized code)].
        """
        seen = set()
        for key in keys:
            if key in seen:
                self._raise_duplicate(key)
            seen.add(key)
        existing = self.search_fetch(
            [
                ("normalized_code", "in", [key[3] for key in keys]),
                ("product_id", "in", [key[0] for key in keys]),
                ("id", "not in", self.ids),
            ],
            ["product_id", "code_type", "partner_id", "normalized_code"],
        )
        for crossref in existing:
            key = (
                crossref.product_id.id,
                crossref.code_type,
                crossref.partner_id.id or False,
                crossref.normalized_code,
            )
            if key in seen:
                self._raise_duplicate(key)

    def _raise_duplicate(self, key):
        product_id, code_type, partner_id, code = key
        labels = dict(self._fields["code_type"]._description_selection(self.env))
        partner = self.env["res.partner"].browse(partner_id)
        raise ValidationError(
            _(
                "The number %(code)s (%(type)s%(partner)s) is already recorded for %(part)s.",
                code=code,
                type=labels[code_type],
                partner=partner and ", " + partner.display_name or "",
                part=self.env["product.product"].browse(product_id).display_name,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_code_length([vals.get("code") for vals in vals_list])
        fill_product_pair(vals_list, self.env, "product_id", "product_tmpl_id")
        self._check_unique_keys(
            [
                (
                    vals["product_id"],
                    vals.get("code_type") or "oem",
                    vals.get("partner_id") or False,
                    normalize_code(vals.get("code")),
                )
                for vals in vals_list
                if vals.get("product_id")
            ]
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_code_length([vals.get("code")])
        fill_product_pair([vals], self.env, "product_id", "product_tmpl_id")
        if {"product_id", "code_type", "partner_id", "code"} & set(vals):
            self._check_unique_keys(
                [
                    (
                        vals.get("product_id", crossref.product_id.id),
                        vals.get("code_type", crossref.code_type),
                        vals.get("partner_id", crossref.partner_id.id) or False,
                        normalize_code(vals["code"])
                        if "code" in vals
                        else crossref.normalized_code,
                    )
                    for crossref in self
                ]
            )
        return super().write(vals)

    def _service_guarded_fields(self):
        # Computed from the code: the lookup searches it. The company stays
        # editable (a shared part's number may be one company's or everyone's),
        # within the companies of the user (_check_company_of_part).
        return super()._service_guarded_fields() | {"normalized_code"}
