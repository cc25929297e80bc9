from . import portal
from . import service_request_form
