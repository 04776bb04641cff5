"""For the tests of a list's background export: start it as a user from the list's button (the job runs at once,
in the test's thread) and read the downloaded file back as rows (CSV, XLSX) or as text without spaces (PDF)."""

import csv
import io
import subprocess
import tempfile
from pathlib import Path

from django.http import QueryDict
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from bankdesk.core.models import ExportJob, ExportStatus

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def request_export(client, kind: str, file_format: str = "csv", query: str = ""):
    """The answer to the list's export button (a redirect to 我的导出, or 403)."""
    return client.post(reverse("core:export_request"), {"kind": kind, "format": file_format, "query": query})


def run_export(client, captured, kind: str, file_format: str = "csv", query: str = "") -> ExportJob:
    """The job the button started, run to its end (`captured` is django_capture_on_commit_callbacks)."""
    with override_settings(TASKS=IMMEDIATE_TASKS), captured(execute=True):
        answer = request_export(client, kind, file_format, query)
    assert answer.status_code == 302 and answer["Location"] == reverse("core:exports"), answer.status_code
    job = ExportJob.objects.order_by("-id").first()  # a refused request redirects too, and makes no job
    assert (job.kind, job.format, job.filters) == (kind, file_format, as_stored(query)), "no job made"
    assert job.status == ExportStatus.SUCCEEDED, job.error
    return job


def as_stored(query: str) -> dict:
    return {name: values for name, values in QueryDict(query).lists()}


def downloaded(client, job) -> bytes:
    answer = client.get(reverse("core:export_download", args=[job.pk]))
    assert answer.status_code == 200, answer.status_code
    return b"".join(answer.streaming_content)


def table(client, job) -> list[list]:
    """A one-sheet list's header and rows: from the CSV (after the lines about the export and the blank line)
    or from the XLSX's sheet after the summary."""
    content = downloaded(client, job)
    if job.format == "xlsx":
        return [list(row) for row in load_workbook(io.BytesIO(content)).worksheets[1].iter_rows(values_only=True)]
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return lines[lines.index([]) + 1:]


def pdf_text(client, job) -> str:
    """The PDF's text as poppler's pdftotext reads it, without white space (a cell's text may wrap)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.pdf"
        path.write_bytes(downloaded(client, job))
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout
    return "".join(text.split())
