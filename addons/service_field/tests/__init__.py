from . import test_visit
from . import test_visit_day
