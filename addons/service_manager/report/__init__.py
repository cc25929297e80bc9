from . import service_competitor_report
