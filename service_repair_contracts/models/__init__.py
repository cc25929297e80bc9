from . import repair_order
from . import sale_order
from . import sale_order_line
from . import service_contract
from . import service_request
from . import service_request_sla
from . import service_warranty_claim
