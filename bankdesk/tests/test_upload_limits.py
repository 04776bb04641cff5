"""Every upload field tells the browser its limits, so that a file too large is refused before it is sent
(bankdesk.js reads data-max-bytes and data-max-files); the limits are the services' own."""

import pytest

from bankdesk.callcenter import acd_import
from bankdesk.callcenter.forms import UploadForm as IntervalUploadForm
from bankdesk.complaints.intake import bulk_import
from bankdesk.complaints.web.import_forms import UploadForm as ComplaintUploadForm
from bankdesk.core import rules
from bankdesk.quality.figures import imports as figure_imports
from bankdesk.quality.figures.forms import UploadForm as FiguresUploadForm
from bankdesk.quality.inspections.forms import PhotoForm
from bankdesk.remediation.web.forms import EvidenceForm
from bankdesk.surveys import list_import
from bankdesk.surveys.forms import ListUploadForm

MB = 1024 * 1024


def _limits(form, name):
    attrs = form.fields[name].widget.attrs
    return attrs.get("data-max-bytes"), attrs.get("data-max-files")


@pytest.mark.django_db
def test_every_upload_field_carries_its_limit():
    assert _limits(PhotoForm(), "photos") == (rules.get("quality.photo_max_megabytes") * MB,
                                             rules.get("quality.photo_max_count"))
    assert _limits(EvidenceForm(), "files") == (rules.get("remediation.evidence_max_megabytes") * MB,
                                               rules.get("remediation.evidence_max_count"))
    assert _limits(ComplaintUploadForm(), "file") == (bulk_import.MAX_UPLOAD_MEGABYTES * MB, None)
    assert _limits(IntervalUploadForm(), "file") == (acd_import.MAX_UPLOAD_MEGABYTES * MB, None)
    assert _limits(FiguresUploadForm(), "file") == (figure_imports.MAX_UPLOAD_MEGABYTES * MB, None)
    assert _limits(ListUploadForm(), "file") == (list_import.MAX_UPLOAD_MEGABYTES * MB, None)
    assert f'data-max-bytes="{bulk_import.MAX_UPLOAD_MEGABYTES * MB}"' in str(ComplaintUploadForm()["file"])
