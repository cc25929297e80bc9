from . import ir_attachment
from . import res_users
from . import service_checklist
from . import service_checklist_item
from . import service_visit
from . import service_visit_check
from . import service_visit_part
from . import service_request
