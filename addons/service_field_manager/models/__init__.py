from . import account_analytic_line
from . import service_request
from . import service_visit
