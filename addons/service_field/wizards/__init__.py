from . import service_slot_wizard
