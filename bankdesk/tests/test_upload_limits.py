"""Every upload field tells the browser its limits, so that a file too large is refused before it is sent
(bankdesk.js reads data-max-bytes and data-max-files); the limits are the services' own."""

import pytest

from bankdesk.callcenter.forms import UploadForm as IntervalUploadForm
from bankdesk.complaints.web.import_forms import UploadForm as ComplaintUploadForm
from bankdesk.core import rules
from bankdesk.quality.figures.forms import UploadForm as FiguresUploadForm
from bankdesk.quality.inspections.forms import PhotoForm
from bankdesk.remediation.web.forms import EvidenceForm
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
    assert _limits(ComplaintUploadForm(), "file") == (rules.get("complaint.import_max_megabytes") * MB, None)
    assert _limits(IntervalUploadForm(), "file") == (rules.get("callcenter.import_max_megabytes") * MB, None)
    assert _limits(FiguresUploadForm(), "file") == (rules.get("quality.figures_import_max_megabytes") * MB, None)
    assert _limits(ListUploadForm(), "file") == (rules.get("surveys.list_max_megabytes") * MB, None)
    assert f'data-max-bytes="{rules.get("complaint.import_max_megabytes") * MB}"' in str(ComplaintUploadForm()["file"])


@pytest.mark.parametrize(("form_class", "key"), [
    (ComplaintUploadForm, "complaint.import_max_megabytes"),
    (IntervalUploadForm, "callcenter.import_max_megabytes"),
    (FiguresUploadForm, "quality.figures_import_max_megabytes"),
    (ListUploadForm, "surveys.list_max_megabytes"),
])
def test_an_import_file_limit_is_a_rule_an_administrator_changes(bank, form_class, key):
    """The browser is told the limit in force now: an administrator's change reaches the next form at once."""
    assert _limits(form_class(), "file")[0] == rules.RULES[key].default * MB
    rules.set_value(bank.admin, key, "3", "测试")
    assert _limits(form_class(), "file")[0] == 3 * MB
