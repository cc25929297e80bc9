from . import service_log_call
