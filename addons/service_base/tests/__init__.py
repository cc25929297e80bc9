from . import test_equipment
from . import test_gates
from . import test_security
from . import test_tour
from . import test_portal
