from . import test_reading
from . import test_plan
from . import test_generate
from . import test_concurrency
from . import test_schedule
from . import test_meter
from . import test_manager_tour
