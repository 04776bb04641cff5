"""A remediation list as a file: its rows (one query, read in chunks) under its columns, streamed as CSV or
written as XLSX (?format=xlsx), every export on the audit trail with its filters."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from bankdesk.core import audit
from bankdesk.core.permissions import require
from bankdesk.core.web import csv_download, xlsx_download
from bankdesk.remediation.audit_actions import RemediationAction
from bankdesk.remediation.permissions import RemediationPermission as P

CHUNK = 2000


@dataclass(frozen=True)
class Column:
    label: object  # lazy text
    value: Callable  # row -> cell


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def export(request, name: str, columns: list[Column], rows, filters: dict):
    require(request.user, P.EXPORT)
    xlsx = request.GET.get("format") == "xlsx"
    audit.record_event(RemediationAction.EXPORT, object_type=f"remediation.{name}", object_repr=name,
                       actor=request.user, after={"format": "xlsx" if xlsx else "csv",
                                                  "filters": {key: str(value) for key, value in filters.items()}})

    def lines():
        yield [str(column.label) for column in columns]
        for row in rows.iterator(chunk_size=CHUNK):
            yield [column.value(row) for column in columns]

    filename = f"{name}-{timezone.localdate():%Y%m%d}"
    return xlsx_download(f"{filename}.xlsx", lines()) if xlsx else csv_download(f"{filename}.csv", lines())
