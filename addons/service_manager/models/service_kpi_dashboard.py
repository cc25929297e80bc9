from odoo import _, api, models
from odoo.exceptions import AccessError


class ServiceKpiDashboard(models.AbstractModel):
    """The figures of the manager's morning screen.

    Each KPI is one aggregate query (``_read_group``) and carries the action
    that opens the records behind it. Addons add KPIs by extending
    ``_kpi_methods``.
    """

    _name = "service.kpi.dashboard"
    _description = "Service KPI Dashboard"

    @api.model
    def get_kpis(self, date_from=False, date_to=False):
        """List of KPI dicts: ``{key, label, value, display, unit, help, section, action}``.

        Only service managers may read it: the figures span every team.
        """
        if not self.env.user.has_group("service_base.group_service_manager"):
            raise AccessError(_("Only service managers can open the service dashboard."))
        kpis = []
        for method in self._kpi_methods():
            kpis.extend(getattr(self, method)())
        return kpis

    @api.model
    def _kpi_methods(self):
        return ["_kpi_demonstrations", "_kpi_quality"]

    @api.model
    def _kpi(self, key, label, value, section, action, unit="", help_text="", precision=0):
        if value is None:
            display = "—"
        elif unit == "%":
            display = f"{value:.{precision}f} %"
        else:
            display = f"{value:,.{precision}f}".replace(",", "\u202f")
        return {
            "key": key,
            "label": label,
            "value": value,
            "display": display,
            "unit": unit,
            "help": help_text,
            "section": section,
            "action": action,
        }

    @api.model
    def _records_action(self, name, model, domain, views=("list", "form")):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": domain,
            "views": [(False, view) for view in views],
            "target": "current",
        }

    @api.model
    def _ratio(self, part, whole):
        return 100.0 * part / whole if whole else None

    # KPIs ----------------------------------------------------------------

    @api.model
    def _kpi_demonstrations(self):
        Booking = self.env["service.demo.booking"]
        domain = [("state", "=", "done")]
        groups = dict(Booking._read_group(domain, ["lead_won"], ["__count"]))
        done = sum(groups.values())
        won = groups.get(True, 0)
        section = _("Demonstrations")
        return [
            self._kpi(
                "demos_done",
                _("Demonstrations held"),
                done,
                section,
                self._records_action(_("Demonstrations held"), Booking._name, domain),
            ),
            self._kpi(
                "demos_won_rate",
                _("Demos leading to a won deal"),
                self._ratio(won, done),
                section,
                self._records_action(
                    _("Demos leading to a won deal"),
                    Booking._name,
                    domain + [("lead_won", "=", True)],
                ),
                unit="%",
                help_text=_("Held demonstrations whose opportunity is won."),
            ),
        ]

    @api.model
    def _kpi_quality(self):
        Check = self.env["service.qc.check"]
        domain = [("state", "in", ("passed", "failed"))]
        groups = dict(Check._read_group(domain, ["state"], ["__count"]))
        checked = sum(groups.values())
        section = _("Quality")
        return [
            self._kpi(
                "qc_pass_rate",
                _("Quality checks passed"),
                self._ratio(groups.get("passed", 0), checked),
                section,
                self._records_action(_("Quality checks"), Check._name, domain),
                unit="%",
                help_text=_("Share of completed quality checks that passed."),
            ),
            self._kpi(
                "qc_todo",
                _("Repairs waiting for a quality check"),
                Check.search_count([("state", "=", "todo")]),
                section,
                self._records_action(
                    _("Repairs waiting for a quality check"), Check._name, [("state", "=", "todo")]
                ),
            ),
        ]
