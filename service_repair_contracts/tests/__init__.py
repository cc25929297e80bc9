from . import test_request_contract
