from odoo import _, api, models
from odoo.exceptions import UserError

from ..tools.guarded import ACTION
from ..tools.lang import user_lang_env


class ServiceGuardedMixin(models.AbstractModel):
    """Fields that only the model's actions may set.

    A state, a decision, who decided or checked, a computed fact, an amount
    that feeds the accounts: the action that sets it checks the rule first,
    so a plain ``create`` or ``write`` from a client (a form, RPC, an import)
    must not set it around the action. Readonly in a view protects nothing
    over RPC. A model returns those fields' names from
    ``_service_guarded_fields()`` (addons extending it add theirs through
    ``super()``); its actions write them through ``action_records(self)``
    (``service_base.tools``). Superuser mode (data
    files, upgrades, the suite's own ``sudo()`` after its checks) and writes
    that leave the value as it is pass; a new record may take the field's
    default or leave it empty.
    """

    _name = "service.guarded.mixin"
    _description = "Fields Set by Actions Only"

    def _service_guarded_fields(self):
        return set()

    def _service_guarded_free(self):
        return self.env.su or self.env.context.get("service_guarded_action") is ACTION

    def _service_guarded_refuse(self, names):
        # The message speaks the user's language also over XML-RPC, whose
        # context has no lang unless the client gives one: so do its labels.
        env = user_lang_env(self.env)
        labels = sorted(self._fields[name]._description_string(env) for name in names)
        model = env["ir.model"]._get(self._name).name
        if len(labels) == 1:
            raise UserError(
                _(
                    'The field "%(field)s" of %(model)s can only be set by its actions (the '
                    "buttons that check the rules), not written directly.",
                    field=labels[0],
                    model=model,
                )
            )
        quoted = ", ".join(_('"%(label)s"', label=label) for label in labels)
        raise UserError(
            _(
                "The fields %(fields)s of %(model)s can only be set by its actions (the buttons "
                "that check the rules), not written directly.",
                fields=quoted,
                model=model,
            )
        )

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        if self._service_guarded_free():
            return defaults
        # A user's own defaults (ir.default, which any user may set for
        # themselves) and a call's default_<field> keys do not reach a guarded
        # field: it takes the field's own default, or none.
        for name in self._service_guarded_fields() & set(fields_list):
            field = self._fields[name]
            if field.default:
                defaults[name] = field.convert_to_write(
                    field.convert_to_cache(field.default(self), self), self
                )
            else:
                defaults.pop(name, None)
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        if not self._service_guarded_free():
            # Asked of no record: a copy is created on the original, whose
            # state must not decide what its new record may take.
            fields = self.browse()._service_guarded_fields()
            # A client puts default_<field> keys in the context as freely as
            # values in vals: the new record may take only the field's own
            # default.
            context = self.env.context
            from_context = {
                key[8:]
                for key in context
                if key.startswith("default_") and key[8:] in fields and context[key]
            }
            given = {name for vals in vals_list for name in vals} & fields
            if given or from_context:
                # default_get gives a guarded field its own default (below).
                defaults = self.default_get(list(given | from_context))
                refused = {
                    name
                    for vals in vals_list
                    for name in given & set(vals)
                    if vals[name] and vals[name] != defaults.get(name)
                } | {
                    name
                    for name in from_context
                    if context["default_" + name] != defaults.get(name)
                    and any(name not in vals for vals in vals_list)
                }
                if refused:
                    self._service_guarded_refuse(refused)
        return super().create(vals_list)

    def write(self, vals):
        if not self._service_guarded_free():
            refused = self._service_changed_fields(vals, self._service_guarded_fields())
            if refused:
                self._service_guarded_refuse(refused)
        return super().write(vals)

    def _service_changed_fields(self, vals, names):
        """Of ``names``, those that ``vals`` would change on any of these
        records (a relation to many always counts as a change)."""
        changed = set()
        for name in set(vals) & set(names):
            field = self._fields[name]
            if field.type in ("one2many", "many2many"):
                changed.add(name)
                continue
            for record in self:
                new = field.convert_to_record(field.convert_to_cache(vals[name], record), record)
                if new != record[name]:
                    changed.add(name)
                    break
        return changed
