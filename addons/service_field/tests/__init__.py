from . import test_visit
