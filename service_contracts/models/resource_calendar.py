from bisect import bisect_right
from datetime import timedelta

from pytz import utc

from odoo import models

# Working time is fetched for this span past the latest start, then for twice
# as much again while a plan still runs past it (Odoo's plan_hours gives up
# after 100 windows of 14 days: so do we, at about the same horizon).
PLAN_WINDOW = timedelta(days=28)
PLAN_HORIZON = timedelta(days=1400)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _service_intervals(self, start, end):
        """Working time of this calendar (its leaves excluded) from ``start`` to ``end``,
        as sorted ``(start, stop)`` pairs of naive UTC datetimes."""
        self.ensure_one()
        intervals = self._work_intervals_batch(start.replace(tzinfo=utc), end.replace(tzinfo=utc))[
            False
        ]
        return [
            (begin.astimezone(utc).replace(tzinfo=None), stop.astimezone(utc).replace(tzinfo=None))
            for begin, stop, __ in intervals
        ]

    def _service_plan_hours_batch(self, plans):
        """The moments ``hours`` working hours after ``start``, for each ``(start, hours)``.

        What ``plan_hours(hours, start, compute_leaves=True)`` answers for one
        pair, for any number of pairs in a few queries: the calendar's working
        time is read once for the whole span instead of once per pair.

        :param list plans: ``(start, hours)`` pairs; ``start`` a naive UTC datetime
        :return: a list of naive UTC datetimes in the order of ``plans``; False
                 where ``start`` is empty, ``hours`` is not positive or the
                 calendar has no working time within about four years
        """
        self.ensure_one()
        result = [False] * len(plans)
        todo = [(index, start, hours) for index, (start, hours) in enumerate(plans) if start]
        todo = [item for item in todo if item[2] > 0]
        if not todo:
            return result
        low = min(start for __, start, __ in todo)
        high = max(start for __, start, __ in todo) + PLAN_WINDOW
        intervals = self._service_intervals(low, high)
        window = PLAN_WINDOW
        while todo:
            stops = [stop for __, stop in intervals]
            pending = []
            for index, start, hours in todo:
                moment = _plan(intervals, stops, start, timedelta(hours=hours))
                if moment:
                    result[index] = moment
                else:
                    pending.append((index, start, hours))
            todo = pending
            if not todo or high - low > PLAN_HORIZON:
                break
            window *= 2
            intervals += self._service_intervals(high, high + window)
            high += window
        return result

    def _service_work_hours_batch(self, spans):
        """Working hours of this calendar (leaves excluded) between ``start`` and
        ``end`` of each ``(start, end)`` pair, negative when ``end`` comes first.

        :param list spans: ``(start, end)`` pairs of naive UTC datetimes
        :return: a list of floats in the order of ``spans`` (0.0 for an empty bound)
        """
        self.ensure_one()
        result = [0.0] * len(spans)
        bounds = [
            (index, min(start, end), max(start, end), -1 if end < start else 1)
            for index, (start, end) in enumerate(spans)
            if start and end and start != end
        ]
        if not bounds:
            return result
        intervals = self._service_intervals(
            min(low for __, low, __, __ in bounds), max(high for __, __, high, __ in bounds)
        )
        stops = [stop for __, stop in intervals]
        for index, low, high, sign in bounds:
            worked = timedelta()
            for begin, stop in intervals[bisect_right(stops, low) :]:
                if begin >= high:
                    break
                worked += min(stop, high) - max(begin, low)
            result[index] = sign * worked.total_seconds() / 3600
        return result


def _plan(intervals, stops, start, duration):
    """The moment ``duration`` of working time after ``start``, or None past the intervals."""
    for begin, stop in intervals[bisect_right(stops, start) :]:
        begin = max(begin, start)
        if duration <= stop - begin:
            return begin + duration
        duration -= stop - begin
    return None
