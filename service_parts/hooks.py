import re

from odoo.tools import SQL, file_open

from .models.product_product import CORE_TABLE_INDEXES

LOOKUP_SQL = "service_parts/data/service_parts_lookup.sql"

# What init() creates outside the ORM and an uninstall would leave behind:
# the ORM drops the addon's own tables (and the indexes on them, such as
# service_part_crossref_normalized_code_btree) and its columns, not these.
# The indexes init() adds on Odoo's tables (product_product,
# product_supplierinfo: the lookup's and the product pickers') are listed
# beside their definitions: tests/test_uninstall.py fails on whatever an
# uninstall leaves.
CORE_INDEXES = CORE_TABLE_INDEXES
# The catalog import's staging tables (service.part.import.init()); their
# indexes go with them.
TABLES = ("service_part_import_staged", "service_part_import_bucket")


def lookup_functions():
    """The SQL functions of the parts lookup, in the order the file creates them."""
    with file_open(LOOKUP_SQL) as sql_file:
        return re.findall(
            r"^CREATE (?:OR REPLACE )?FUNCTION (\w+)\s*\(", sql_file.read(), re.MULTILINE
        )


def uninstall_hook(env):
    # The callers first (a function may call those created before it).
    for name in reversed(lookup_functions()):
        env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s", SQL.identifier(name)))
    for name in CORE_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
    for name in TABLES:
        env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(name)))
    # pg_trgm, which the numbers' trigram indexes use, stays: Odoo's own
    # trigram indexes (product names, stock lots...) and other addons use it.
