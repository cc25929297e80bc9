from . import service_center_transfer
from . import service_loaner_lend
from . import service_log_call
