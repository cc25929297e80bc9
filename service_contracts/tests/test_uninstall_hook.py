from odoo.tests import TransactionCase, tagged

from ..hooks import CORE_INDEXES, uninstall_hook


@tagged("post_install", "-at_install")
class TestUninstallHook(TransactionCase):
    def _indexes(self):
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(CORE_INDEXES)]
        )
        return {name for (name,) in self.env.cr.fetchall()}

    def test_uninstall_drops_the_indexes_on_odoos_tables(self):
        """What init() created on Odoo's tables stays behind an uninstall
        unless the hook drops it (the ORM drops only the addon's own)."""
        self.assertEqual(self._indexes(), set(CORE_INDEXES), "init() created them")

        savepoint = self.env.cr.savepoint(flush=False)
        uninstall_hook(self.env)
        self.assertEqual(self._indexes(), set())
        savepoint.close()  # rolled back: DDL is transactional, the indexes are back
        self.assertEqual(self._indexes(), set(CORE_INDEXES))
