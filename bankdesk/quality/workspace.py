"""What the quality app puts on the workspace: the home page's tiles (my follow-up actions and visits,
overdue fixes of my units, appointments to close) and the menu's badges. Each count is one COUNT."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bankdesk.core import home
from bankdesk.core.permissions import scope_q
from bankdesk.quality.inspections import selectors
from bankdesk.quality.models import CareOutcome, CareService, Visit, VisitStatus
from bankdesk.quality.permissions import QualityPermission as P


def my_follow_ups(user) -> int:
    return selectors.open_count(user, mine=True)


def overdue_follow_ups(user) -> int:
    return selectors.open_count(user, overdue=True)


def my_visits(user) -> int:
    return Visit.objects.filter(inspector=user, status__in=[VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS]).count()


def appointments_to_close(user) -> int:
    """Appointments whose day has come, their outcome not yet recorded, at the user's units."""
    return CareService.objects.filter(scope_q(user, P.RECORD, "unit_path"), outcome=CareOutcome.SCHEDULED,
                                      is_void=False, service_on__lte=timezone.localdate()).count()


TILES = (
    home.Tile("quality.my_follow_ups", _("My follow-up actions"), "quality:follow_ups", my_follow_ups,
              permission=P.FOLLOW_UP, query="mine=on", tone=home.WARNING, order=300,
              help=_("Failed checklist items to fix (一点一策)")),
    home.Tile("quality.my_visits", _("My inspection visits"), "quality:visits", my_visits, permission=P.INSPECT,
              query="mine=on", order=310),
    home.Tile("quality.appointments", _("Appointments to close"), "quality:cares", appointments_to_close,
              permission=P.RECORD, query="kind=appointment", tone=home.WARNING, order=320),
    home.Tile("quality.overdue_follow_ups", _("Overdue follow-up actions"), "quality:follow_ups", overdue_follow_ups,
              permission=P.INSPECT, query="overdue=on", section=home.TEAM, tone=home.DANGER, order=300),
)
