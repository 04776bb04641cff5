"""Filters of the workforce pages."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.0834 → "8.3%"; None → "—"."""
    return "—" if value is None else f"{float(value) * 100:.1f}%"


@register.filter
def day_kind(kind: str) -> str:
    """The forecast's kind of day, as planners call it."""
    names = {"0": _("Monday"), "1": _("Tuesday"), "2": _("Wednesday"), "3": _("Thursday"), "4": _("Friday"),
             "5": _("Saturday"), "6": _("Sunday"), "holiday": _("Public holiday"),
             "make_up": _("Make-up working day"), "after_holiday": _("First working day after a holiday")}
    return names.get(kind, kind)


@register.filter
def hours(minutes) -> str:
    """Agent-minutes as hours with one decimal."""
    return f"{float(minutes or 0) / 60:.1f}"
