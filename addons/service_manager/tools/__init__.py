from .forecast import backtest, forecast, holt_winters
