from .dates import local_midnights_utc, user_tz
from .forecast import backtest, forecast, holt_winters
