from . import service_visit
from . import service_request
