"""Workforce maths: Erlang C at 2,000 agents, a week's roster for 300 agents, a quarter's forecast.

Usage: python bench/workforce_bench.py [--roster-seconds 60] [--workers 8] [--skip-roster]
Pure computation (no database): the modules the services call. Writes
bench/results/workforce-<date>.json with
* Erlang C: the median and worst time of evaluating 2,000 agents and of searching the requirement
  for a load needing about 2,000 (1,950 Erlangs), over 200 runs each; Erlang A the same, 20 runs;
* the roster: 300 agents (240 full-time 40 h, 40 part-time 16–24 h, 20 evening students) on
  30-minute intervals, requirement from Erlang C of a synthetic week at about the agents' capacity;
  the understaffing found, the lower bound (LP relaxation), the gap, the time;
* the forecast: two years of 30-minute history, fit plus a quarter (91 days) forecast, plus the
  4-week backtest against the naive forecast.
"""

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bankdesk.workforce import erlang, forecasting, scheduling
from bankdesk.workforce.tests import synthetic

TARGET = erlang.Target(15, 0.8)


def timed(function, runs: int) -> dict:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1000)
    return {"median_ms": round(statistics.median(times), 3), "max_ms": round(max(times), 3), "runs": runs}


def bench_erlang() -> dict:
    load = erlang.Load(calls=19_500, interval_minutes=30, aht_seconds=180)  # 1,950 Erlangs
    found = erlang.required_agents_c(load, TARGET)
    return {
        "erlang_c_evaluate_2000": timed(lambda: erlang.erlang_c(load, TARGET, 2000), 200),
        "erlang_c_search": {**timed(lambda: erlang.required_agents_c(load, TARGET), 200), "agents": found.agents},
        "erlang_a_evaluate_2000": timed(lambda: erlang.erlang_a(load, TARGET, 2000, 120), 20),
        "erlang_a_search": {**timed(lambda: erlang.required_agents_a(load, TARGET, 120), 20),
                            "agents": erlang.required_agents_a(load, TARGET, 120).agents},
    }


TEMPLATES = (
    scheduling.Template("D9", 540, 7 * 60, 15 * 60, 30, 60, 180, 300, 30, ((90, 15), (420, 15))),
    scheduling.Template("P4", 240, 8 * 60, 19 * 60, 30, breaks=((120, 15),)),
)


def roster_agents() -> tuple:
    full = [scheduling.Agent(f"F{n}", 2400, 2400, templates=frozenset({"D9"})) for n in range(240)]
    part = [scheduling.Agent(f"P{n}", 960, 1440, templates=frozenset({"P4"})) for n in range(40)]
    evenings = tuple((day, 17 * 60, 23 * 60) for day in range(7))
    students = [scheduling.Agent(f"S{n}", 720, 960, windows=evenings, templates=frozenset({"P4"}))
                for n in range(20)]
    return tuple(full + part + students)


def week_requirement(agents: tuple) -> np.ndarray:
    """Erlang C of a synthetic week, scaled so the required agent-hours are about the agents' capacity."""
    shape = synthetic.expected(date(2025, 3, 3), 7, synthetic.Calendar(), per_day_total=1.0)
    capacity_hours = sum(agent.max_minutes for agent in agents) / 60 * 0.85  # on the phones, after breaks
    low, high = 1.0, 1e7
    for _ in range(40):  # bisection on the weekly volume
        volume = (low + high) / 2
        required = np.vectorize(lambda calls: erlang.required_agents_c(
            erlang.Load(calls, 30, 240), TARGET).agents)(shape * volume)
        low, high = (volume, high) if required.sum() / 2 < capacity_hours else (low, volume)
    return required.astype(float)


def bench_roster(seconds: float, workers: int) -> dict:
    agents = roster_agents()
    problem = scheduling.Problem(30, week_requirement(agents), TEMPLATES, agents)
    solution = scheduling.solve(problem, seconds, workers)
    return {"agents": len(agents), "intervals": int(problem.requirement.size), "time_limit_s": seconds,
            "workers": workers, "status": solution.status, "seconds": round(solution.seconds, 2),
            "required_agent_minutes": int(problem.required_minutes().sum()),
            "understaffing_minutes": solution.understaffing_minutes,
            "lower_bound_minutes": round(solution.lower_bound, 1), "gap": round(solution.gap, 5),
            "shifts": len(solution.shifts)}


def bench_forecast() -> dict:
    calendar = synthetic.golden_weeks(2023, 4)
    history = synthetic.history(date(2023, 1, 2), 728, calendar)
    began = time.perf_counter()
    model = forecasting.fit(history, calendar)
    quarter = forecasting.forecast(model, history.end, 91, calendar)
    fit_and_forecast = time.perf_counter() - began
    began = time.perf_counter()
    weeks = forecasting.backtest(history, calendar, weeks=4)
    ours, naive = forecasting.overall(weeks)
    return {"history_intervals": int(history.values.size), "forecast_intervals": int(quarter.size),
            "fit_and_forecast_s": round(fit_and_forecast, 4), "backtest_s": round(time.perf_counter() - began, 4),
            "model_wape": round(ours.wape, 4), "model_mape": round(ours.mape, 4),
            "naive_wape": round(naive.wape, 4), "naive_mape": round(naive.mape, 4)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--roster-seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--skip-roster", action="store_true")
    args = parser.parse_args()
    result = {"date": date.today().isoformat(), "machine": platform.platform(), "python": platform.python_version(),
              "erlang": bench_erlang(), "forecast": bench_forecast()}
    if not args.skip_roster:
        result["roster"] = bench_roster(args.roster_seconds, args.workers)
    out = ROOT / "bench" / "results" / f"workforce-{date.today().isoformat()}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
