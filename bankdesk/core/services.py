"""Writes of the core app: the holiday calendar, revealing personal data, reading notifications."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import audit, calendar
from bankdesk.core.audit_actions import CoreAction
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import CalendarDay, CalendarYear, DayKind, Notification
from bankdesk.core.permissions import CorePermission, require_in_scope, require_whole_bank

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
PACKAGE_SOURCE = "国务院办公厅部分节假日安排的通知（chinese-calendar 收录）"


def seed_calendar_from_package() -> int:
    """Load the years the chinese-calendar package knows; years already present are left alone."""
    from chinese_calendar import constants

    known = set(CalendarYear.objects.values_list("year", flat=True))
    entries = [(day, DayKind.HOLIDAY, name) for day, name in constants.holidays.items()]
    entries += [(day, DayKind.WORKDAY, name) for day, name in constants.workdays.items()]
    new_days = [
        CalendarDay(date=day, kind=kind, name=HOLIDAY_NAMES_ZH.get(name, name))
        for day, kind, name in entries
        if day.year not in known
    ]
    new_years = {day.date.year for day in new_days} - known
    with transaction.atomic():
        CalendarDay.objects.bulk_create(new_days, ignore_conflicts=True)
        CalendarYear.objects.bulk_create([CalendarYear(year=y, source=PACKAGE_SOURCE) for y in sorted(new_years)])
    calendar.invalidate()
    return len(new_days)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("Enter a year between 2000 and 2100."), field="year")


def set_calendar_day(actor, day: date, kind: str, name: str) -> CalendarDay:
    """The calendar drives every statutory deadline of the bank: the head office keeps it."""
    require_whole_bank(actor, CorePermission.MANAGE_CALENDAR)
    _check_year(day.year)
    if kind not in DayKind.values:
        raise ValidationFailed(_("Choose holiday, make-up working day or ordinary day."), field="kind")
    with transaction.atomic():
        existing = CalendarDay.objects.filter(date=day).first()
        before = audit.snapshot(existing, fields=["date", "kind", "name"]) if existing else None
        entry, _created = CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
        audit.record(CoreAction.CALENDAR_DAY_SET, entry, before=before, after=audit.snapshot(entry, ["date", "kind", "name"]), actor=actor)
        calendar.invalidate()
    return entry


def publish_calendar_year(actor, year: int, source: str) -> CalendarYear:
    """Mark a year's official calendar as entered: its answers stop being provisional."""
    require_whole_bank(actor, CorePermission.MANAGE_CALENDAR)
    _check_year(year)
    if not source.strip():
        raise ValidationFailed(_("Name the source, e.g. the State Council notice."), field="source")
    with transaction.atomic():
        entry, _created = CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
        audit.record(CoreAction.CALENDAR_YEAR_PUBLISH, entry, after={"year": year, "source": source}, actor=actor)
        calendar.invalidate()
    return entry


def reveal_pii(actor, instance, field: str, unit) -> str:
    """The full value of an encrypted field, for a user allowed to see it at `unit`; audited."""
    require_in_scope(actor, CorePermission.REVEAL_PII, unit)
    audit.record(CoreAction.PII_REVEAL, instance, after={"field": field}, actor=actor)
    return getattr(instance, field)


def mark_notifications_read(user, ids=None) -> int:
    """Mark the user's unread notifications read, all of them or those in `ids`; never anyone else's."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
