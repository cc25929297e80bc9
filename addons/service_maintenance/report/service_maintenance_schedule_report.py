from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date
from odoo.tools.translate import LazyTranslate

from odoo.addons.service_base.tools.lang import user_lang_env
from odoo.addons.service_base.tools.rpc_values import rpc_record, rpc_records

_lt = LazyTranslate(__name__)


def _id_list(env, value, label):
    """``value`` (a list of ids from the report's data) checked as ids."""
    if not isinstance(value, (list, tuple)):
        raise UserError(
            user_lang_env(env)._("%(label)s: expected a list of record ids.", label=label)
        )
    return value


class ReportMaintenanceSchedulePartner(models.AbstractModel):
    """The printed maintenance schedule (график ППР) of customers: ``data``
    may give the ``year`` (default: this year), a ``contract_id`` and the
    ``unit_ids`` it is limited to, and the ``doc_ids`` printed when the
    web client asks without ids (a report with data: ids and data do not
    both travel in its URL)."""

    _name = "report.service_maintenance.report_maintenance_schedule_partner"
    _description = "Maintenance Schedule of a Customer"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        model = self._service_doc_model()
        if not docids and data.get("doc_ids"):
            ids = _id_list(self.env, data["doc_ids"], _lt("Printed records"))
            docids = [doc.id for doc in rpc_records(self.env, model, ids, _lt("Printed records"))]
        docs = self.env[model].browse(docids)
        Schedule = self.env["service.maintenance.schedule"]
        year = Schedule._service_year(data.get("year"))
        schedules, langs, as_of = {}, {}, {}
        for doc in docs:
            partner, contract = self._service_filters(doc, data)
            # the portal restricts the rows to the units its customer sees
            units = None
            if data.get("unit_ids") is not None:
                ids = _id_list(self.env, data["unit_ids"], _lt("Units"))
                units = self.env["service.equipment"].browse(
                    [
                        unit.id
                        for unit in rpc_records(self.env, "service.equipment", ids, _lt("Units"))
                    ]
                )
            lang = partner.lang or self.env.lang
            langs[doc.id] = lang
            env_lang = Schedule.with_context(lang=lang)
            schedules[doc.id] = env_lang._service_schedule_data(
                year, partner=partner, contract=contract, units=units
            )
            as_of[doc.id] = format_date(env_lang.env, fields.Date.context_today(self))
        return {
            "doc_ids": docs.ids,
            "doc_model": docs._name,
            "docs": docs,
            "schedules": schedules,
            "langs": langs,
            "as_of_dates": as_of,
        }

    @api.model
    def _service_doc_model(self):
        return "res.partner"

    @api.model
    def _service_filters(self, doc, data):
        contract = rpc_record(
            self.env, "service.contract", data.get("contract_id"), _lt("Contract")
        )
        return doc.commercial_partner_id, contract


class ReportMaintenanceScheduleContract(models.AbstractModel):
    """The printed maintenance schedule of service contracts: ``data`` may
    give the ``year`` (default: this year)."""

    _name = "report.service_maintenance.report_maintenance_schedule_contract"
    _inherit = "report.service_maintenance.report_maintenance_schedule_partner"
    _description = "Maintenance Schedule of a Contract"

    @api.model
    def _service_doc_model(self):
        return "service.contract"

    @api.model
    def _service_filters(self, doc, data):
        return doc.commercial_partner_id, doc
