from . import test_visit
from . import test_visit_day
from . import test_visit_day_tour
from . import test_visit_security
