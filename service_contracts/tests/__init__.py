# Warranty
from . import test_warranty_registration
from . import test_warranty_status
from . import test_warranty_claim
from . import test_warranty_http
