import math

from odoo.tests import BaseCase, tagged

from ..tools.forecast import backtest, forecast, holt_winters


@tagged("post_install", "-at_install")
class TestForecast(BaseCase):
    def _seasonal_series(self, weeks, period=13, base=40.0, slope=0.5, amplitude=10.0):
        return [
            base + slope * t + amplitude * math.sin(2 * math.pi * t / period) for t in range(weeks)
        ]

    def test_recovers_trend_and_season(self):
        series = self._seasonal_series(104 + 12)
        history, future = series[:104], series[104:]
        predicted, params = holt_winters(history, 12, period=13)
        self.assertEqual(params["model"], "holt_winters")
        errors = [abs(p - f) for p, f in zip(predicted, future, strict=True)]
        self.assertLess(max(errors), 2.0, errors)
        # Without the season the same data is forecast far worse.
        flat, __ = holt_winters(history, 12)
        flat_errors = [abs(p - f) for p, f in zip(flat, future, strict=True)]
        self.assertGreater(sum(flat_errors), 5 * sum(errors))

    def test_backtest_reports_the_error_of_the_method(self):
        series = self._seasonal_series(60, period=4, amplitude=6.0)
        result = backtest(series, holdout=8, period=4)
        self.assertEqual(result["holdout"], 8)
        self.assertLess(result["mae"], 1.0)
        self.assertLess(result["mape"], 0.05)
        noisy = [v + (7 if t % 3 == 0 else -5) for t, v in enumerate(series)]
        self.assertGreater(backtest(noisy, holdout=8, period=4)["mae"], result["mae"])

    def test_short_and_empty_histories(self):
        self.assertEqual(holt_winters([], 3)[0], [0.0, 0.0, 0.0])
        self.assertEqual(holt_winters([4, 6], 2)[0], [5.0, 5.0])
        self.assertEqual(holt_winters([1, 2, 3], 0)[0], [])
        # A falling series never forecasts negative requests.
        predicted, __ = holt_winters([30, 20, 10, 5, 1], 6)
        self.assertTrue(all(v >= 0 for v in predicted))

    def test_forecast_falls_back_to_a_shorter_season(self):
        series = self._seasonal_series(30, period=4)
        result = forecast(series, horizon=12)
        self.assertEqual(result["period"], 4)
        self.assertEqual(len(result["forecast"]), 12)
        self.assertEqual(result["history_weeks"], 30)
        self.assertIsNotNone(result["backtest"]["mae"])
