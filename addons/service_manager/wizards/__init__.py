from . import service_qc_fail_wizard
from . import service_forecast_wizard
from . import service_quotation_lost
