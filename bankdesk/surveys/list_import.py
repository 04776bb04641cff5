"""Imported call lists: a CSV or XLSX of people to call (or of call records to survey) read into a campaign
by a background task, with its progress and every refused row reported.

Policy: the good rows are imported, a row with a problem (no phone, a phone that is not one, a name too
long, a phone already in the campaign or twice in the file) is reported with its row number and field and
skipped. Rows are written in batches; a task that runs again (its worker died) skips the phones already
imported, so nobody is called twice.
"""

from itertools import islice

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import audit, file_imports, rules, tabular
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import AuditSource, JobStatus
from bankdesk.core.permissions import require_in_scope
from bankdesk.core.pii import blind_index, normalize_phone
from bankdesk.core.tabular import BadFile
from bankdesk.surveys import services
from bankdesk.surveys.audit_actions import SurveyAction
from bankdesk.surveys.models import CampaignStatus, ListImport, Target, TargetState
from bankdesk.surveys.permissions import SurveyPermission

BATCH_ROWS = 1000
PHONE_DIGITS = (7, 15)
COLUMNS = {  # what a column may be called (normalised by core.tabular: lower case, no spaces)
    "phone": ("电话", "手机", "手机号", "电话号码", "联系电话", "来电号码", "主叫号码", "phone", "caller"),
    "name": ("姓名", "客户姓名", "name"),
    "reference": ("编号", "参考号", "客户号", "通话编号", "流水号", "reference", "callid", "call_id"),
    "best_time": ("最佳联系时间", "联系时间", "besttime", "best_time"),
}


def start_import(actor, campaign, upload) -> ListImport:
    """Keep the file and queue its import (refused at once: not CSV/XLSX, too large, imported before)."""
    from bankdesk.surveys import tasks

    require_in_scope(actor, SurveyPermission.MANAGE_SURVEYS, campaign.unit)
    if campaign.source not in services.FILE_SOURCES:
        raise ValidationFailed(_("This campaign is drawn from complaints; it takes no list."), field="file")
    if campaign.status == CampaignStatus.FINISHED:
        raise ValidationFailed(_("The campaign is finished."), field="file", code="invalid_state")
    with transaction.atomic():
        job = file_imports.receive(ListImport, actor, upload, max_megabytes=rules.get("surveys.list_max_megabytes"),
                                   campaign=campaign)
        file_imports.enqueue(job, tasks.import_list)
    return job


def _cell(row: dict, key: str) -> str:
    value = next((row[name] for name in COLUMNS[key] if row.get(name) not in (None, "")), "")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone typed into Excel as a number
    return str(value).strip()


def _row_problem(row: dict) -> tuple[str, str] | None:
    """(field, message) of what makes the row unusable, or None."""
    phone = normalize_phone(_cell(row, "phone"))
    if not phone:
        return "phone", _("The phone number is missing.")
    if not PHONE_DIGITS[0] <= len(phone) <= PHONE_DIGITS[1]:
        return "phone", _("“%(phone)s” is not a phone number.") % {"phone": _cell(row, "phone")}
    if len(_cell(row, "name")) > 100:
        return "name", _("The name is longer than 100 characters.")
    if len(_cell(row, "reference")) > 64 or len(_cell(row, "best_time")) > 100:
        return "reference", _("The reference or the best time to call is too long.")
    return None


def _targets_of(job: ListImport, batch: list[tuple[int, dict]], seen: set[str]) -> list[Target]:
    """The batch's good rows as targets; the others are added to the job's errors."""
    indexes = {number: blind_index(_cell(row, "phone"), "phone") for number, row in batch if not _row_problem(row)}
    existing = set(Target.objects.filter(campaign=job.campaign, phone_index__in=indexes.values())
                   .values_list("phone_index", flat=True))
    now, targets = timezone.now(), []
    for number, row in batch:
        problem = _row_problem(row)
        if problem is None and (indexes[number] in existing or indexes[number] in seen):
            problem = "phone", _("This phone is already in the campaign.")
        if problem:
            job.add_error(number, *problem)
            continue
        seen.add(indexes[number])
        targets.append(Target(campaign=job.campaign, name=_cell(row, "name"), phone=_cell(row, "phone"),
                              source_reference=_cell(row, "reference"), best_time=_cell(row, "best_time"),
                              state=TargetState.WAITING, due_at=now))
    return targets


def _save_batch(job: ListImport, batch: list[tuple[int, dict]], seen: set[str]) -> None:
    with transaction.atomic():
        targets = Target.objects.bulk_create(_targets_of(job, batch, seen))
        services.add_targets(job.campaign, len(targets))
        job.processed_rows += len(batch)
        job.imported_rows += len(targets)
        job.save(update_fields=["processed_rows", "imported_rows", "error_count", "errors"])


def run(job_id: int, again: bool = False) -> ListImport | None:
    """Read the whole file into the campaign (the task calls it; a later attempt starts over)."""
    job = file_imports.claim(ListImport, job_id, again=again)
    if job is None:
        return None
    job = ListImport.objects.select_related("campaign__unit", "created_by").get(pk=job.pk)
    file_imports.report_progress(job, imported_rows=0)
    with audit.audit_context(actor=job.created_by, source=AuditSource.IMPORT):
        try:
            _read(job)
        except BadFile as failure:
            job.add_error(None, failure.field, failure.message)
        _finish(job)
    return job


def _read(job: ListImport) -> None:
    with job.file.open("rb") as binary:
        file_imports.report_progress(job, total_rows=tabular.count_rows(binary, job.file.name))
    limit = rules.get("surveys.list_max_rows")
    if job.total_rows > limit:
        job.add_error(None, "file", _("The list has %(rows)d rows; at most %(limit)d are imported at once: split it.")
                      % {"rows": job.total_rows, "limit": limit})
        return
    seen: set[str] = set()
    with job.file.open("rb") as binary:
        rows = tabular.rows(binary, job.file.name)
        while batch := list(islice(rows, BATCH_ROWS)):
            _save_batch(job, batch, seen)


def _finish(job: ListImport) -> None:
    """Failed when the file as a whole was refused (nothing imported); else succeeded, refused rows listed."""
    status = JobStatus.FAILED if any(error["row"] is None for error in job.errors) else JobStatus.SUCCEEDED
    file_imports.finish(job, status)
    audit.record(SurveyAction.LIST_IMPORT, job.campaign, actor=job.created_by, after={
        "file": job.original_name, "rows": job.total_rows, "imported": job.imported_rows, "errors": job.error_count,
        "status": status, "first_errors": job.errors[:10]})
