from . import portal
from . import login_lang
