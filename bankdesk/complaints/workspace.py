"""What the complaints app puts on the workspace: the home page's tiles and team panel, the menu's badges
the header's search, and
the words of the details its steps add to a complaint's audit events. Each count is one COUNT through the selectors' own scoped queries."""

from django.utils.translation import gettext_lazy as _

from bankdesk.complaints import selectors
from bankdesk.complaints.models import (
    ClockKind,
    ContactChannel,
    DeadlineState,
    ExtensionKind,
    NoticeChannel,
    ReopenKind,
    Remedy,
    Satisfaction,
    Status,
)
from bankdesk.complaints.permissions import ComplaintPermission as P
from bankdesk.core import home, navigation
from bankdesk.core.audit_display import AuditField


def my_work_count(state: int | None = None):
    return lambda user: selectors.my_work(user, selectors.WorkFilter(state=state)).count()


def team_count(state: int | None = None):
    return lambda user: selectors.team_work(user, selectors.WorkFilter(state=state)).count()


def awaiting_approval_count(user) -> int:
    return selectors.awaiting_approval(user).count()


def assist_requests_count(user) -> int:
    return selectors.assist_requests_for(user).count()


def callbacks_due_count(user) -> int:
    """Decisions told to the customer, the callback still to make, in the user's reach for callbacks."""
    return selectors.visible_complaints(user, P.CALLBACK_COMPLAINTS).filter(status=Status.COMMUNICATED).count()


def intake_queue_count(user) -> int:
    return selectors.intake_queue(user, selectors.ComplaintFilter()).count()


def acceptance_overdue_count(user) -> int:
    return selectors.complaint_list(user, selectors.ComplaintFilter(overdue=True)).count()


OVERDUE, WARNED = DeadlineState.OVERDUE.value, DeadlineState.WARNED.value

TILES = (
    home.Tile("complaints.my_overdue", _("My overdue complaints"), "complaints:my_work", my_work_count(OVERDUE),
              permission=P.HANDLE_COMPLAINTS, query=f"state={OVERDUE}", tone=home.DANGER, order=100),
    home.Tile("complaints.my_due_soon", _("My complaints due soon"), "complaints:my_work", my_work_count(WARNED),
              permission=P.HANDLE_COMPLAINTS, query=f"state={WARNED}", tone=home.WARNING, order=110),
    home.Tile("complaints.my_open", _("My open complaints"), "complaints:my_work", my_work_count(),
              permission=P.HANDLE_COMPLAINTS, order=120),
    home.Tile("complaints.awaiting_approval", _("Approvals waiting for me"), "complaints:team",
              awaiting_approval_count, permission=P.APPROVE_DECISIONS, tone=home.WARNING, order=130,
              help=_("Decisions proposed and extensions requested")),
    home.Tile("complaints.assist_requests", _("Assist requests for my departments"), "complaints:my_work",
              assist_requests_count, permission=P.HANDLE_COMPLAINTS, tone=home.WARNING, order=140),
    home.Tile("complaints.callbacks_due", _("Callbacks due"), "complaints:list", callbacks_due_count,
              permission=P.CALLBACK_COMPLAINTS, query=f"status={Status.COMMUNICATED}", tone=home.WARNING, order=150),
    home.Tile("complaints.intake_queue", _("Awaiting acceptance review"), "complaints:queue", intake_queue_count,
              permission=P.REVIEW_COMPLAINTS, tone=home.WARNING, order=160),
    home.Tile("complaints.acceptance_overdue", _("Acceptance review overdue"), "complaints:list",
              acceptance_overdue_count, permission=P.REVIEW_COMPLAINTS, query="overdue=on", tone=home.DANGER,
              order=170),
    home.Tile("complaints.team_overdue", _("Team's overdue complaints"), "complaints:team", team_count(OVERDUE),
              permission=P.APPROVE_DECISIONS, query=f"state={OVERDUE}", section=home.TEAM, tone=home.DANGER,
              order=200),
    home.Tile("complaints.team_due_soon", _("Team's complaints due soon"), "complaints:team", team_count(WARNED),
              permission=P.APPROVE_DECISIONS, query=f"state={WARNED}", section=home.TEAM, tone=home.WARNING,
              order=210),
    home.Tile("complaints.team_open", _("Team's open complaints"), "complaints:team", team_count(),
              permission=P.APPROVE_DECISIONS, section=home.TEAM, order=220),
)


def team_load(user) -> dict:
    """The handlers with the most overdue, then due-soon, then open complaints."""
    return {"load": selectors.team_load(user)[:8]}


PANELS = (
    home.Panel("complaints.team_load", _("Load by handler"), "complaints/_home_team_load.html", team_load,
               permission=P.APPROVE_DECISIONS, order=200),
)

SEARCH = navigation.SearchTarget("complaints:list", "search", _("Tracking number, name or phone"),
                                 permission=P.VIEW_COMPLAINTS, order=100)

# The details a step adds to the complaint's snapshot in its audit event (services.save_change's `extra`). A step's
# "channel" is how the customer was told or reached; the registration's is the complaint's channel (by its code).
AUDIT_FIELDS = {
    "channel": AuditField(_("channel"), model="complaints.Channel",
                          choices=(*NoticeChannel.choices, *ContactChannel.choices)),
    "rule": AuditField(_("routing rule")),
    "assisting": AuditField(_("assisting departments"), model="orgs.OrgUnit"),
    "department": AuditField(_("department"), model="orgs.OrgUnit"),
    "note": AuditField(_("note")),
    "reason": AuditField(_("reason")),
    "kind": AuditField(_("kind"), choices=(*ExtensionKind.choices, *ReopenKind.choices)),
    "closure": AuditField(_("closure code"), model="complaints.ClosureCode"),
    "remedies": AuditField(_("remedy"), choices=tuple(Remedy.choices)),
    "amount": AuditField(_("compensation (yuan)"), money=True),
    "satisfaction": AuditField(_("satisfaction"), choices=tuple(Satisfaction.choices)),
    "notice": AuditField(_("notice to the customer")),
    "into": AuditField(_("merged into")),
    "decision": AuditField(_("decision")),
    "callback": AuditField(_("Callback")),
    "clock": AuditField(_("clock"), choices=tuple(ClockKind.choices)),
    "due": AuditField(_("due at")),
}
