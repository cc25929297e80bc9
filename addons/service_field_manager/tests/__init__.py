from . import test_visit_labour
