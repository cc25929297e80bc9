# Warranty
from . import service_warranty_policy
from . import stock_lot
from . import stock_move
from . import stock_move_line
from . import stock_picking
from . import service_equipment
from . import service_warranty_check
from . import service_warranty_claim
from . import service_supplier_claim
from . import repair_order
from . import account_move
