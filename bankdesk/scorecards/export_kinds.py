"""The evaluation and calibration lists as background exports (core/exports.py): each list page's own filters and
scoped selector, under the columns the page shows."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bankdesk.core import exports
from bankdesk.core.exports import Column, local
from bankdesk.scorecards import selectors, views
from bankdesk.scorecards.permissions import QaPermission as P


def subject(row) -> str:
    """What is evaluated, as the pages' _subject.html shows it."""
    if row.call_id:
        return f"{gettext('Call')} {row.call_id}"
    if row.recording_ref:
        return f"{gettext('Recording')} {row.recording_ref}"
    if row.complaint_number:
        return f"{gettext('Complaint')} {row.complaint_number}"
    return str(row.unit) if row.unit_id else ""


def _result(evaluation) -> str:
    if evaluation.score is None:
        return ""
    if evaluation.fatal_failed:
        return gettext("fatal")
    return gettext("below the pass mark") if evaluation.passed is False else ""


def _scorecard(row) -> str:
    return f"{row.version.scorecard.name} v{row.version.number}"


EVALUATION_COLUMNS = [
    Column(_("Started"), lambda evaluation: local(evaluation.created_at)),
    Column(_("Scorecard"), _scorecard),
    Column(_("What is evaluated"), subject),
    Column(_("Staff member"), lambda evaluation: str(evaluation.staff) if evaluation.staff_id else ""),
    Column(_("Inspector"), lambda evaluation: str(evaluation.evaluator)),
    Column(_("Status"), lambda evaluation: evaluation.get_status_display()),
    Column(_("Score"), lambda evaluation: evaluation.score),
    Column(_("Result"), _result),
    Column(_("Submitted at"), lambda evaluation: local(evaluation.submitted_at)),
]
CALIBRATION_COLUMNS = [
    Column(_("Title"), lambda session: session.title),
    Column(_("Scorecard"), _scorecard),
    Column(_("What is evaluated"), subject),
    Column(_("Staff member"), lambda session: str(session.staff) if session.staff_id else ""),
    Column(_("Inspectors who scored"), lambda session: session.scored),
    Column(_("Status"), lambda session: session.get_status_display()),
    Column(_("Created at"), lambda session: local(session.created_at)),
]

KINDS = [
    exports.list_kind("scorecards.evaluations", _("QA evaluations"), P.VIEW, "qa-evaluations",
                      views.evaluation_filters, selectors.evaluation_list, EVALUATION_COLUMNS),
    exports.list_kind("scorecards.calibrations", _("QA calibration"), P.VIEW, "qa-calibrations",
                      views.calibration_filters,
                      lambda user, status: selectors.calibrations(user, status=status).order_by("-created_at", "-id"),
                      CALIBRATION_COLUMNS),
]
