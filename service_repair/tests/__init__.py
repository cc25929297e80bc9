from . import test_dispatch
from . import test_request
