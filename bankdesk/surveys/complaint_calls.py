"""Everything surveys needs of the complaints app, in one module (the only one importing complaints).

Targets are drawn from complaints by the database (INSERT … SELECT, core/bulk.py): the encrypted phone
and its blind index are copied as stored, under the same key, so no row passes through Python.

A complaint-callback campaign's completed call is the complaint's callback (回访): it is recorded by the
complaints app's own service, the one its page uses, so the complaint's rules (who may call back,
the count of failed attempts, closing or reopening on the answer) stay in complaints.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import CharField, DateTimeField, IntegerField, Q, Value
from django.utils import timezone

from bankdesk.complaints import recusal
from bankdesk.complaints.decisions import callback
from bankdesk.complaints.models import Complaint, ReopenKind, Satisfaction, Status
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core.bulk import insert_select
from bankdesk.core.permissions import has_permission, scope_q
from bankdesk.orgs.models import OrgUnit, next_path

SATISFACTION_CHOICES = Satisfaction.choices
REOPEN_CHOICES = ReopenKind.choices
CALLBACK_PERMISSION = ComplaintPermission.CALLBACK_COMPLAINTS

TARGET_FIELDS = ["campaign", "complaint", "name", "phone", "phone_index", "source_reference", "state", "due_at",
                 "best_time", "attempts", "failed_attempts", "last_outcome", "version", "created_at"]


def _in_unit(unit: OrgUnit) -> Q:
    return Q(unit_path__gte=unit.path, unit_path__lt=next_path(unit.path))


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _draw(campaign, complaints) -> int:
    """Copy the complaints not yet in the campaign into it as targets waiting to be called now."""
    from bankdesk.surveys.models import Target, TargetState

    now = timezone.now()
    already = Target.objects.filter(campaign=campaign, complaint__isnull=False).values("complaint_id")
    rows = complaints.exclude(pk__in=already).annotate(
        t_campaign=Value(campaign.pk, IntegerField()), t_state=Value(TargetState.WAITING, CharField()),
        t_due=Value(now, DateTimeField()), t_empty=Value("", CharField()), t_zero=Value(0, IntegerField()),
        t_one=Value(1, IntegerField()),
    ).values_list("t_campaign", "pk", "complainant_name", "phone", "phone_index", "tracking_number", "t_state",
                  "t_due", "t_empty", "t_zero", "t_zero", "t_empty", "t_one", "t_due")
    return insert_select(Target, TARGET_FIELDS, rows)


def draw_closed(campaign, unit: OrgUnit, start: date, end: date) -> int:
    """A satisfaction survey of the complaints about `unit`'s subtree closed from `start` to `end`."""
    closed = Complaint.objects.filter(_in_unit(unit), status=Status.CLOSED, closed_at__gte=_local_midnight(start),
                                      closed_at__lt=_local_midnight(end + timedelta(days=1)))
    return _draw(campaign, closed)


def draw_awaiting_callback(campaign, unit: OrgUnit) -> int:
    """The complaints about `unit`'s subtree whose decision the customer has and whose callback is due."""
    return _draw(campaign, Complaint.objects.filter(_in_unit(unit), status=Status.COMMUNICATED))


def callable_by(user) -> Q:
    """On targets: the complaint callbacks `user` may make (the complaint still awaits its callback, lies
    in the user's callback scope, is not the user's to handle and does not concern the user: recusal)."""
    if not has_permission(user, CALLBACK_PERMISSION):
        return Q(pk__in=[])
    scope = (scope_q(user, CALLBACK_PERMISSION, "complaint__unit_path")
             | scope_q(user, CALLBACK_PERMISSION, "complaint__lead_department_path"))
    return (scope & Q(complaint__status=Status.COMMUNICATED) & ~Q(complaint__handler=user)
            & recusal.not_concerning(user, "complaint__"))


def record_callback(actor, target, *, reached: bool, satisfaction: str = "", reason: str = "",
                    reopen_kind: str = ""):
    """The complaint's callback, through the complaints app's service. Returns whether the complaint's
    own attempt limit is now reached (the complaint post may then close it as unreachable)."""
    complaint = Complaint.objects.get(pk=target.complaint_id)
    callback.record_callback(actor, complaint, reached=reached, satisfaction=satisfaction, reason=reason,
                             reopen_kind=reopen_kind)
    complaint.refresh_from_db(fields=["failed_callbacks"])
    return not reached and callback.may_close_unreachable(complaint)
