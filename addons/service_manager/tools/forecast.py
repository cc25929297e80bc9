"""Holt-Winters forecasting of weekly workload, without heavy dependencies.

Additive level + trend + season (period ``m`` weeks), smoothing constants
chosen by a small grid search on one-step-ahead squared error. With fewer than
two seasons of history the season is dropped (Holt's linear trend); with
fewer than three points the forecast is the mean.
"""

import itertools

GRID = (0.1, 0.3, 0.5, 0.7, 0.9)


def holt_winters(series, horizon, period=None, alpha=None, beta=None, gamma=None):
    """Forecast ``horizon`` values after ``series`` (a list of numbers).

    Returns ``(forecast, params)`` where params says which model and constants
    were used. Forecasts are never negative (they count requests).
    """
    values = [float(v) for v in series]
    n = len(values)
    if horizon <= 0:
        return [], {"model": "none"}
    if n < 3:
        mean = sum(values) / n if n else 0.0
        return [mean] * horizon, {"model": "mean"}
    seasonal = bool(period and period > 1 and n >= 2 * period)
    m = period if seasonal else 0
    grid_alpha = (alpha,) if alpha is not None else GRID
    grid_beta = (beta,) if beta is not None else GRID
    grid_gamma = ((gamma,) if gamma is not None else GRID) if seasonal else (0.0,)
    best = None
    for a, b, g in itertools.product(grid_alpha, grid_beta, grid_gamma):
        sse, state = _fit(values, m, a, b, g)
        if best is None or sse < best[0]:
            best = (sse, state, a, b, g)
    __, (level, trend, season), a, b, g = best
    result = []
    for h in range(1, horizon + 1):
        value = level + h * trend
        if m:
            value += season[(n + h - 1) % m]
        result.append(max(0.0, value))
    params = {
        "model": "holt_winters" if m else "holt",
        "period": m or None,
        "alpha": a,
        "beta": b,
        "gamma": g if m else None,
    }
    return result, params


def _fit(values, m, alpha, beta, gamma):
    """One pass of the smoothing equations: (sum of squared one-step errors, final state)."""
    if m:
        first, second = values[:m], values[m : 2 * m]
        level = sum(first) / m
        trend = (sum(second) - sum(first)) / (m * m)
        season = [v - level for v in first]
        start = m
    else:
        level, trend, season, start = values[0], values[1] - values[0], [], 1
    sse = 0.0
    for t in range(start, len(values)):
        s = season[t % m] if m else 0.0
        predicted = level + trend + s
        error = values[t] - predicted
        sse += error * error
        previous_level = level
        level = alpha * (values[t] - s) + (1 - alpha) * (level + trend)
        trend = beta * (level - previous_level) + (1 - beta) * trend
        if m:
            season[t % m] = gamma * (values[t] - level) + (1 - gamma) * s
    return sse, (level, trend, season)


def backtest(series, holdout=8, period=None):
    """Error of the method on the last ``holdout`` points, fitted on the rest.

    Returns ``{"mae": ..., "mape": ... or None, "holdout": n}``; MAPE skips
    weeks with no requests.
    """
    values = [float(v) for v in series]
    holdout = min(holdout, max(len(values) - 3, 0))
    if holdout <= 0:
        return {"mae": None, "mape": None, "holdout": 0}
    predicted, __ = holt_winters(values[:-holdout], holdout, period=period)
    actual = values[-holdout:]
    errors = [abs(a - p) for a, p in zip(actual, predicted, strict=True)]
    relative = [abs(a - p) / a for a, p in zip(actual, predicted, strict=True) if a]
    return {
        "mae": sum(errors) / holdout,
        "mape": (sum(relative) / len(relative)) if relative else None,
        "holdout": holdout,
    }


def forecast(series, horizon=12, period=52, holdout=8):
    """Forecast plus the method's own error on the last ``holdout`` weeks.

    The season falls back to 4 weeks when there is not two years of history.
    """
    if period and len(series) < 2 * period:
        period = 4 if len(series) >= 8 else None
    values, params = holt_winters(series, horizon, period=period)
    params["backtest"] = backtest(series, holdout=holdout, period=period)
    params["forecast"] = [round(v, 2) for v in values]
    params["history_weeks"] = len(series)
    return params
