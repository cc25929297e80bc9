# Contracts
from . import portal_contract

# Warranty
from . import portal
from . import warranty
