from . import test_dispatch
from . import test_mail_intake
from . import test_request
