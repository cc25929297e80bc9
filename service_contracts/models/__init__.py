# Contracts (service contracts, SLA policies, recurring invoicing, deal tracking)
from . import service_sla_policy
from . import service_contract
from . import service_contract_line
from . import service_deal_document
from . import account_move
from . import crm_lead
from . import sale_order
from . import service_equipment_contract
