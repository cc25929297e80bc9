from . import controllers
from . import models
from . import rpc_context
from . import tools
