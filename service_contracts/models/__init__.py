# Contracts (service contracts, SLA policies, recurring invoicing, deal tracking)
from . import resource_calendar
from . import service_sla_policy
from . import service_contract
from . import service_contract_line
from . import service_deal_document
from . import account_move
from . import crm_lead
from . import sale_order
from . import sale_order_line

# Warranty
from . import service_warranty_policy
from . import stock_lot
from . import stock_move
from . import stock_move_line
from . import stock_picking
from . import service_equipment
from . import service_warranty_claim
from . import service_supplier_claim
from . import account_move_line
from . import repair_order
