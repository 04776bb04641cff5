"""Forecast runs: what a planner asks for, and the background work that answers it.

The work: read the queue's history, score the model on held-out weeks against the naive forecast,
fit on all of it, forecast the requested days (special days scaled), add the handle time of each
weekday × interval, and ask Erlang C for the agents of each interval with the queue's target, the
maximum occupancy and the shrinkage of the rule settings (kept on the run).
"""

import math
from datetime import date, timedelta

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import audit, rules
from bankdesk.core import calendar as working_calendar
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import JobStatus
from bankdesk.core.permissions import require_in_scope
from bankdesk.workforce import erlang, forecasting, history
from bankdesk.workforce.audit_actions import WorkforceAction
from bankdesk.workforce.models import ForecastInterval, ForecastRun, SpecialDay
from bankdesk.workforce.permissions import WorkforcePermission


def request_forecast(actor, queue, first_day: date, days: int) -> ForecastRun:
    """Queue a forecast of `queue` for `days` days from `first_day`; the worker runs it after commit."""
    from bankdesk.workforce import tasks

    with transaction.atomic():
        run = create_run(actor, queue, first_day, days)
        transaction.on_commit(lambda: tasks.run_forecast.enqueue(run.pk))
    return run


def create_run(actor, queue, first_day: date, days: int) -> ForecastRun:
    """A forecast run waiting to be made (`run`), audited."""
    require_in_scope(actor, WorkforcePermission.PLAN, queue.unit)
    longest = rules.get("workforce.forecast_max_days")
    if not 1 <= days <= longest:
        raise ValidationFailed(_("Forecast between 1 and %(days)d days.") % {"days": longest}, field="days")
    with transaction.atomic():
        run = ForecastRun.objects.create(
            queue=queue, unit=queue.unit, first_day=first_day, days=days, created_by=actor,
            interval_minutes=history.interval_minutes_of(queue, rules.get("callcenter.interval_minutes")),
            target_seconds=queue.service_level_seconds, target_percent=queue.service_level_percent,
            shrinkage_percent=rules.get("workforce.shrinkage_percent"),
            max_occupancy_percent=rules.get("workforce.max_occupancy_percent"))
        audit.record(WorkforceAction.FORECAST_RUN, run, actor=actor,
                     after={"queue": queue.code, "first_day": first_day.isoformat(), "days": days})
    return run


def _progress(run: ForecastRun, percent: int, **fields) -> None:
    ForecastRun.objects.filter(pk=run.pk).update(progress=percent, **fields)


def special_days(queue) -> dict[date, float]:
    """Active special days that apply to the queue: its own, its unit's (or above) and the bank's."""
    found = {}
    for day in (SpecialDay.objects.filter(Q(queue=queue) | Q(queue__isnull=True), is_active=True)
                .select_related("unit").order_by("date")):
        if day.queue_id or day.unit is None or queue.unit.path.startswith(day.unit.path):
            found[day.date] = found.get(day.date, 1.0) * float(day.factor)
    return found


def _accuracy(past: history.History, calendar, special: frozenset, profile_days: int) -> dict:
    complete = int((~np.isnan(past.offered.values).any(axis=1)).sum())
    weeks = min(rules.get("workforce.forecast_holdout_weeks"), (complete - 14) // 7)
    if weeks < 1:
        return {}
    scores = forecasting.backtest(past.offered, calendar, weeks, special, profile_days)
    model, naive = forecasting.overall(scores)
    return {"weeks": [{"first_day": week.first_day.isoformat(), "model": week.model.__dict__,
                       "naive": week.naive.__dict__} for week in scores],
            "overall": {"model": model.__dict__, "naive": naive.__dict__}}


def _summary(model: forecasting.Model) -> dict:
    effects = {kind: math.exp(model.coefficients[2 + n]) for n, kind in enumerate(model.kind_columns)}
    return {"trend_per_year": math.exp(model.coefficients[1]) - 1, "yearly": model.yearly,
            "level_against_monday": effects}


def run(run_id: int) -> None:
    """The background work of one forecast run (tasks.run_forecast)."""
    forecast_run = ForecastRun.objects.select_related("queue__unit").get(pk=run_id)
    _progress(forecast_run, 5, status=JobStatus.RUNNING)
    until = min(forecast_run.first_day, timezone.localdate())
    past = history.load(forecast_run.queue, until, forecast_run.interval_minutes)
    if past is None:
        raise ValidationFailed(_("The queue has no call statistics to forecast from."))
    if not past.answered.sum():
        raise ValidationFailed(_("The queue's statistics have no answered calls, so no handle time."))
    if int((~np.isnan(past.offered.values).any(axis=1)).sum()) < 14:
        raise ValidationFailed(_("At least two weeks of call statistics are needed to forecast."))
    calendar, special = working_calendar.load(), special_days(forecast_run.queue)
    profile_days = rules.get("workforce.forecast_profile_days")
    _progress(forecast_run, 20, history_from=past.offered.start, history_until=past.offered.end - timedelta(days=1))
    accuracy = _accuracy(past, calendar, frozenset(special), profile_days)
    _progress(forecast_run, 50, accuracy=accuracy)
    model = forecasting.fit(past.offered, calendar, frozenset(special), profile_days)
    calls = forecasting.forecast(model, forecast_run.first_day, forecast_run.days, calendar, special)
    _progress(forecast_run, 70, model_summary=_summary(model))
    _save_intervals(forecast_run, calls, history.handle_time_profile(past))
    _progress(forecast_run, 100, status=JobStatus.SUCCEEDED, finished_at=timezone.now())


def _save_intervals(forecast_run: ForecastRun, calls: np.ndarray, handle_time: np.ndarray) -> None:
    target = erlang.Target(forecast_run.target_seconds, float(forecast_run.target_percent) / 100)
    occupancy, shrinkage = float(forecast_run.max_occupancy_percent) / 100, float(forecast_run.shrinkage_percent) / 100
    minutes, rows = forecast_run.interval_minutes, []
    for day in range(forecast_run.days):
        date_ = forecast_run.first_day + timedelta(days=day)
        midnight = history.local_midnight(date_)
        for slot, offered in enumerate(calls[day]):
            aht = float(handle_time[date_.weekday(), slot])
            aht = aht if math.isfinite(aht) and aht > 0 else float(np.nanmean(handle_time))
            staffed = erlang.required_agents_c(erlang.Load(float(offered), minutes, aht), target, occupancy)
            rows.append(ForecastInterval(
                run=forecast_run, starts_at=midnight + timedelta(minutes=slot * minutes), calls=float(offered),
                aht_seconds=aht, agents=staffed.agents, service_level=staffed.service_level,
                scheduled_agents=erlang.scheduled_agents(staffed.agents, shrinkage)))
    ForecastInterval.objects.bulk_create(rows, batch_size=2000)


def fail(run_id: int, message: str) -> None:
    ForecastRun.objects.filter(pk=run_id).update(status=JobStatus.FAILED, error=message, finished_at=timezone.now())
