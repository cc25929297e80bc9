# Contracts
from . import portal_contract
