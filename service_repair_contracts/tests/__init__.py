from . import test_contract_cap
from . import test_request_contract
from . import test_request_sla
from . import test_warranty_claim_repair
from . import test_warranty_answer_repair
