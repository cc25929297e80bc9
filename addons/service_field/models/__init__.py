from . import service_checklist
from . import service_checklist_item
from . import service_visit
from . import service_request
