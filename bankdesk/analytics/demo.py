"""Demo complaint history for the statistics and the early warnings (core's `load_demo` runs `load` after the
complaints' own demo): ten weeks of complaints at a few outlets, busy on working days and quiet on weekends and
holidays, with a rise planted at one outlet × category and one customer complaining again and again at another;
then the daily early-warning check over the last fortnight, so that 投诉预警 holds warnings after `make run`.

The complaints are copies of the closed demo complaint (its stored values, received at other moments, every other
time moved with the received time, none later than now), hundreds in one INSERT. Loaded once: when no complaint
carries the history's tracking prefix yet."""

import copy
import math
import random
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils import timezone

from bankdesk.analytics.warnings import check
from bankdesk.complaints.demo import COMPLAINTS
from bankdesk.complaints.models import BusinessCategory, Cause, Complaint, Status
from bankdesk.core import audit, calendar
from bankdesk.core.models import AuditSource
from bankdesk.orgs.models import OrgUnit

PREFIX = "DEMO-H-"
HISTORY_DAYS = 70
CHECKED_DAYS = 14
SEED = 20261206
# outlet, business category, cause, complaints a working day, a day off (on average)
STREAMS = [
    ("BR01-S01-O01", "counter_waiting", "attitude", 1.2, 0.2),
    ("BR01-S01-O02", "card_fees", "pricing", 0.8, 0.1),
    ("BR01-S02-O01", "ebanking_function", "quality", 0.8, 0.2),
    ("BR01-S03-O01", "debit_loss", "procedures", 0.6, 0.1),
    ("BR02-S01-O01", "counter_waiting", "quality", 1.0, 0.2),
    ("BR02-S02-O01", "wealth_sales", "marketing", 0.5, 0.1),
]
RISE = ("BR01-S01-O01", "counter_waiting", "attitude", 8)  # on the last working day at least three days back
REPEATER = ("BR02-S01-O01", "payment_transfer", "other", "13900020001", (20, 12, 6, 2))  # days ago
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗"


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw of `mean` (the demo's and the tests' seeded noise), Knuth's method: the number of uniform draws whose product stays above e^-mean."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _template() -> Complaint | None:
    closed = next(item for item in COMPLAINTS if item.stage == "closed")
    return Complaint.objects.filter(status=Status.CLOSED, complainant_name=closed.name).order_by("pk").first()


class _Copies:
    """Rows copied from the template, received at chosen moments."""

    def __init__(self, template: Complaint, now: datetime):
        self.template, self.now, self.rows = template, now, []
        self.units = {unit.code: unit for unit in OrgUnit.objects.all()}
        self.categories = {category.code: category for category in BusinessCategory.objects.all()}
        self.causes = {cause.code: cause for cause in Cause.objects.all()}
        self.moved = [field.attname for field in Complaint._meta.concrete_fields
                      if isinstance(field, models.DateTimeField) and field.attname != "received_at"
                      and getattr(template, field.attname) is not None]

    def add(self, received_at: datetime, outlet: str, category: str, cause: str, phone: str = "") -> None:
        row = copy.copy(self.template)
        row.pk = row.id = None
        number = len(self.rows) + 1
        shift = received_at - self.template.received_at
        for name in self.moved:
            setattr(row, name, min(getattr(self.template, name) + shift, self.now))
        unit = self.units[outlet]
        row.tracking_number = f"{PREFIX}{number:06d}"
        row.received_at, row.unit, row.unit_path = received_at, unit, unit.path
        row.business_category, row.cause = self.categories[category], self.causes[cause]
        row.phone = phone or f"139{SEED % 1000:03d}{number:05d}"
        row.complainant_name = SURNAMES[number % len(SURNAMES)] + ("女士" if number % 2 else "先生")
        self.rows.append(row)


def _moment(rng: random.Random, day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9 + rng.randrange(8), rng.randrange(60))))


def load_history(today: date) -> int:
    """Create the history (unless made already) and run the check over its last days; how many were made."""
    template = _template()
    if template is None or Complaint.objects.filter(tracking_number__startswith=PREFIX).exists():
        return 0
    official, rng = calendar.load(), random.Random(SEED)
    copies = _Copies(template, timezone.now())
    days = [today - timedelta(days=offset) for offset in range(HISTORY_DAYS, 0, -1)]
    for outlet, category, cause, working, off in STREAMS:
        for day in days:
            for _index in range(poisson(rng, working if official.is_working_day(day) else off)):
                copies.add(_moment(rng, day), outlet, category, cause)
    outlet, category, cause, count = RISE
    spike = next(day for day in reversed(days[:-2]) if official.is_working_day(day))
    for _index in range(count):
        copies.add(_moment(rng, spike), outlet, category, cause)
    outlet, category, cause, phone, days_ago = REPEATER
    for offset in days_ago:
        copies.add(_moment(rng, today - timedelta(days=offset)), outlet, category, cause, phone)
    with audit.audit_context(source=AuditSource.IMPORT):
        Complaint.objects.bulk_create(copies.rows, batch_size=500)
        for offset in range(CHECKED_DAYS, 0, -1):
            check.run(today - timedelta(days=offset))
    return len(copies.rows)


def load(stdout) -> None:
    """The demo loader analytics registers."""
    made = load_history(timezone.localdate())
    if made:
        stdout.write(f"演示投诉历史 / demo complaint history: {made}")
