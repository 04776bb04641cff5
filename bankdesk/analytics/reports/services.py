"""Writes of the regulatory statistics: a computation requested (queued for the background task), the
computation itself (run by the task), freezing a report as submitted, the trace of an export. Each checks
the permission, runs in a transaction and leaves an audit event."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.analytics.periods import Period
from bankdesk.analytics.reports import kinds, tables
from bankdesk.analytics.reports.audit_actions import ReportAction
from bankdesk.analytics.reports.models import FrozenReport, RegulatoryReport, ReportKind
from bankdesk.analytics.reports.permissions import ReportPermission as P
from bankdesk.core import audit
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.models import JobStatus
from bankdesk.core.permissions import has_permission, require, require_in_scope
from bankdesk.orgs.models import OrgUnit

FIRST_YEAR = 2000


def _period(kind: str, year: int, number: int) -> Period:
    if kind not in ReportKind.values:
        raise ValidationFailed(_("Choose a report."), field="kind")
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationFailed(_("Choose a year from %(first)d to this year.") % {"first": FIRST_YEAR}, field="year")
    if not 1 <= number <= kinds.PER_YEAR[kind]:
        raise ValidationFailed(_("Choose a period from 1 to %(last)d.") % {"last": kinds.PER_YEAR[kind]},
                               field="number")
    period = kinds.period_of(kind, year, number)
    if period.last >= timezone.localdate():
        raise ValidationFailed(_("The period has not ended yet: a report covers a whole period."), field="number")
    return period


def request_report(actor, kind: str, year: int, number: int, unit: OrgUnit) -> RegulatoryReport:
    """Queue the computation of the report of `kind` for the `number`th period of `year` under `unit`: a new
    report, or the existing one computed again (its frozen copy, if any, stays as it is)."""
    require_in_scope(actor, P.RUN, unit)
    period = _period(kind, year, number)
    try:
        with transaction.atomic():
            report = (RegulatoryReport.objects.select_for_update()
                      .filter(kind=kind, period_first=period.first, unit=unit).first())
            if report is None:
                report = RegulatoryReport.objects.create(
                    kind=kind, period_first=period.first, period_last=period.last, unit=unit, unit_path=unit.path,
                    requested_by=actor, requested_at=timezone.now())
                return _queued(actor, report)
    except IntegrityError:  # another request created it at the same moment
        pass
    report = RegulatoryReport.objects.get(kind=kind, period_first=period.first, unit=unit)
    return recompute(actor, report)


def recompute(actor, report: RegulatoryReport) -> RegulatoryReport:
    """Compute an existing report again, with the figures as they are now."""
    require_in_scope(actor, P.RUN, report.unit)
    with transaction.atomic():
        report = RegulatoryReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
        if report.is_active:
            raise Conflict(_("The report is being computed already; wait for it to finish."))
        report.status, report.progress, report.error = JobStatus.QUEUED, 0, ""
        report.requested_by, report.requested_at = actor, timezone.now()
        report.save(update_fields=["status", "progress", "error", "requested_by", "requested_at"])
        return _queued(actor, report)


def _queued(actor, report: RegulatoryReport) -> RegulatoryReport:
    from bankdesk.analytics.reports.tasks import compute_report

    audit.record(ReportAction.REQUEST, report, actor=actor, after={
        "kind": report.kind, "period": f"{report.period_first}–{report.period_last}", "unit": report.unit.code,
        "frozen": report.is_frozen})

    def send():
        try:
            compute_report.enqueue(report.pk)
        except Exception:
            fail(report.pk, _("The computation could not be queued; try again later."))
            raise

    transaction.on_commit(send)
    return report


def run(report_id: int, again: bool = False) -> RegulatoryReport | None:
    """The background work of one computation (tasks.compute_report): the table over the complaints the
    requester may see under the report's unit, written with its time and author. None when the report is not
    waiting to be computed (another attempt finished it)."""
    statuses = [JobStatus.QUEUED, JobStatus.RUNNING] if again else [JobStatus.QUEUED]
    if not RegulatoryReport.objects.filter(pk=report_id, status__in=statuses).update(
            status=JobStatus.RUNNING, progress=1):
        return None
    report = RegulatoryReport.objects.select_related("unit", "requested_by").get(pk=report_id)
    actor = report.requested_by
    if not has_permission(actor, P.RUN, report.unit):
        fail(report_id, _("The requester no longer has the right to compute this report."))
        return None

    def progress(percent: int) -> None:
        RegulatoryReport.objects.filter(pk=report_id).update(progress=max(1, min(99, percent)))

    rows = tables.compute(actor, report.kind, Period(report.period_first, report.period_last), report.unit,
                          progress=progress)
    with transaction.atomic():
        report = RegulatoryReport.objects.select_for_update().select_related("unit").get(pk=report_id)
        report.rows, report.status, report.progress, report.error = rows, JobStatus.SUCCEEDED, 100, ""
        report.computed_at, report.computed_by = timezone.now(), actor
        report.save(update_fields=["rows", "status", "progress", "error", "computed_at", "computed_by"])
        after = {"total": rows["total"], "closed": rows["closed"]}
        frozen = FrozenReport.objects.filter(report=report).first()
        if frozen is not None:
            after["cells_differing_from_frozen_copy"] = len(tables.differences(frozen.rows, rows))
        audit.record(ReportAction.COMPUTE, report, actor=actor, after=after)
    return report


def fail(report_id: int, message: str) -> None:
    RegulatoryReport.objects.filter(pk=report_id).update(status=JobStatus.FAILED, error=message)


def freeze(actor, report: RegulatoryReport) -> RegulatoryReport:
    """Freeze the report as submitted to the regulator: its table is copied once into FrozenReport, which
    nothing changes afterwards; a later computation is compared with that copy."""
    require(actor, P.FREEZE)
    with transaction.atomic():
        report = RegulatoryReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
        require_in_scope(actor, P.FREEZE, report.unit)
        if report.is_frozen:
            raise Conflict(_("The report was frozen already; its frozen copy stays as it was submitted."))
        if report.status != JobStatus.SUCCEEDED:
            raise Conflict(_("Only a computed report can be frozen: wait for the computation to finish."))
        now = timezone.now()
        FrozenReport.objects.create(report=report, rows=report.rows, computed_at=report.computed_at,
                                    computed_by_id=report.computed_by_id, frozen_at=now, frozen_by=actor)
        report.submitted, report.frozen_at, report.frozen_by = True, now, actor
        report.save(update_fields=["submitted", "frozen_at", "frozen_by"])
        audit.record(ReportAction.FREEZE, report, actor=actor, after={
            "total": report.rows.get("total"), "computed_at": report.computed_at.isoformat()})
    return report


def trace_export(actor, report: RegulatoryReport, file_format: str, copy: str) -> None:
    """An export leaves its trace: who took which report, in which format, current table or frozen copy."""
    audit.record(ReportAction.EXPORT, report, actor=actor, after={"format": file_format, "copy": copy})


def default_year_number(kind: str, today: date | None = None) -> tuple[int, int]:
    """The last period of `kind` that has ended by `today`: what the request form offers first."""
    today = today or timezone.localdate()
    ended = kinds.periods.previous(kinds.PERIOD_KIND[kind], kinds.periods.containing(kinds.PERIOD_KIND[kind], today))
    return ended.first.year, kinds.number_of(kind, ended.first)
