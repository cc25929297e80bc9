from . import crm_lead
from . import repair_order
from . import res_partner
from . import service_demo_booking
from . import service_equipment
from . import service_kpi_dashboard
from . import service_qc_check
from . import service_qc_template
