from . import service_contract
from . import service_request
