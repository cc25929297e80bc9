from . import service_part_reorder_wizard
