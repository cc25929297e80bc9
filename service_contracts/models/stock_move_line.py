from odoo import models
from odoo.tools import SQL


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def init(self):
        res = super().init()
        # Odoo does not index stock_move_line.lot_id; warranty registration
        # looks up each delivered serial's receipt from its supplier, which
        # without this index scans every move line once per serial.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS stock_move_line_service_lot_index "
                "ON stock_move_line USING btree (lot_id) WHERE lot_id IS NOT NULL"
            )
        )
        return res

    def _prepare_new_lot_vals(self):
        vals = super()._prepare_new_lot_vals()
        # Odoo leaves a lot created at receipt without a company unless its
        # product has one; a serial's warranty, owner and dates then read in
        # every company (stock.lot's rule lets any company read a lot without
        # one). The serial belongs to the company that received it.
        vals.setdefault("company_id", self.company_id.id or self.move_id.company_id.id)
        return vals
