from . import test_catalog
from . import test_gates
from . import test_lookup
from . import test_requirements
from . import test_import
from . import test_tour
from . import test_security
from . import test_picker_indexes
