from . import test_demo_booking
from . import test_quality_control
from . import test_forecast
from . import test_dashboard
from . import test_requests_kpi
from . import test_profitability
from . import test_analytic
from . import test_competitors
