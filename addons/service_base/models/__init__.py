# The mixin first: the models below inherit it.
from . import service_guarded_mixin
from . import service_unit_intake_mixin
from . import ir_http
from . import product_product
from . import product_template
from . import res_company
from . import res_config_settings
from . import res_partner
from . import res_users
from . import service_equipment
from . import service_rate_limit
from . import service_skill
from . import service_team
from . import stock_lot
from . import stock_picking
from . import stock_warehouse
from . import ir_actions_server
