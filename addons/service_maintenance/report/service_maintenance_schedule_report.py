from odoo import api, fields, models
from odoo.tools import format_date


class ReportMaintenanceSchedulePartner(models.AbstractModel):
    """The printed maintenance schedule (график ППР) of customers: ``data``
    may give the ``year`` (default: this year), a ``contract_id`` and the
    ``unit_ids`` it is limited to."""

    _name = "report.service_maintenance.report_maintenance_schedule_partner"
    _description = "Maintenance Schedule of a Customer"

    @api.model
    def _get_report_values(self, docids, data=None):
        # Printed with ``data`` (the screen's Print: the year), the web
        # client's URL carries no ids: they come in the context's active_ids,
        # as the report action gave them.
        docs = self.env[self._service_doc_model()].browse(
            docids or self.env.context.get("active_ids") or []
        )
        data = data or {}
        Schedule = self.env["service.maintenance.schedule"]
        year = Schedule._service_year(data.get("year"))
        schedules, langs, as_of = {}, {}, {}
        for doc in docs:
            partner, contract = self._service_filters(doc, data)
            # the portal restricts the rows to the units its customer sees
            units = None
            if data.get("unit_ids") is not None:
                units = self.env["service.equipment"].browse(data["unit_ids"])
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
        contract = self.env["service.contract"]
        if data.get("contract_id"):
            contract = contract.browse(int(data["contract_id"])).exists()
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
