# Warranty
from . import portal
from . import warranty
