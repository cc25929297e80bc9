from . import res_company
from . import res_config_settings
from . import service_equipment_reading
from . import service_equipment
from . import service_maintenance_plan
from . import service_request
from . import service_visit
from . import service_contract
