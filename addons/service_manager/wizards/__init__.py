from . import service_qc_fail_wizard
