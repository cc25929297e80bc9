from . import test_dispatch
from . import test_log_call
from . import test_mail_intake
from . import test_portal
from . import test_repair
from . import test_request
from . import test_service_center
from . import test_tour
