# Contracts
from . import test_sla_policy
from . import test_contract
from . import test_contract_invoicing
from . import test_deal_timeline
from . import test_contract_portal
from . import test_contract_tour

# Warranty
from . import test_warranty_registration
from . import test_warranty_status
from . import test_warranty_claim
from . import test_claim_unit_stock
from . import test_warranty_http
from . import test_warranty_answer
from . import test_guarded_fields
from . import test_uninstall_hook
