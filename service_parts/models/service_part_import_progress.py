from odoo import fields, models


class ServicePartImportProgress(models.Model):
    """Progress of a running import, written from a separate cursor.

    The import's own transaction holds its rows until it commits; progress kept
    on another table lets the form show it live without touching rows that
    transaction has written (which would conflict under REPEATABLE READ).
    """

    _name = "service.part.import.progress"
    _description = "Catalog Import Progress"

    import_id = fields.Many2one(
        "service.part.import", required=True, ondelete="cascade", index=True
    )
    done = fields.Integer()
    total = fields.Integer()
    step = fields.Char()
