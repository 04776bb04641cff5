"""The evaluation and calibration lists as background exports (core/exports.py): each list page's own filters and
scoped selector, under the columns the page shows; and the QA trends page (the months, the teams, the staff)."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bankdesk.core import exports
from bankdesk.core.exports import Column, local
from bankdesk.scorecards import design_views, selectors, views
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

def _average(value):
    return None if value is None else round(float(value), 2)


def trends_document(user, data) -> exports.Document:
    """The trends page: the average score, evaluations and fatal failures per month (charted in the PDF), and when no
    one staff member is chosen, the same per team (unless one team is) and per staff member (the page's sort)."""
    form, filters, sort = views.trend_filters(user, data)
    exports.refuse_invalid(form)
    today = timezone.localdate()
    figures = [gettext("Average score"), gettext("Evaluations"), gettext("Fatal items failed")]
    trend = selectors.monthly_trend(user, filters, today)
    months = [[f"{row['month']:%Y-%m}", _average(row["average"]), row["count"], row["fatal"]] for row in trend]
    sheets = [exports.Sheet(gettext("Month by month"), [gettext("Month"), *figures], months, len(months),
                            chart=exports.Chart(gettext("Average score"),
                                                [(row[0], row[1]) for row in months if row[1] is not None]))]
    if not filters.staff:
        if not filters.team:
            teams = [[row[f"{selectors.TEAM}__name"], _average(row["average"]), row["count"], row["fatal"]]
                     for row in selectors.team_results(user, filters, today)]
            sheets.append(exports.Sheet(gettext("By team"), [gettext("Call-center team"), *figures], teams, len(teams)))
        staff = selectors.staff_results(user, filters, today, sort)
        sheets.append(exports.Sheet(
            gettext("By staff member"), [gettext("Staff member"), gettext("User name"), *figures[:2], gettext("Passed"),
                                         figures[2]],
            ([row["staff__display_name"], row["staff__username"], _average(row["average"]), row["count"],
              row["passed"], row["fatal"]] for row in staff.iterator(chunk_size=2000)), staff.count()))
    title = gettext("QA trends")
    return exports.Document(title, f"qa-trends-{today:%Y%m%d}", sheets,
                            about=[(gettext("Staff member"), filters.staff or "—"), exports.exported_now()])

SCORECARD_COLUMNS = [
    Column(_("Code"), lambda scorecard: scorecard.code),
    Column(_("Name"), lambda scorecard: scorecard.name),
    Column(_("Purpose"), lambda scorecard: scorecard.get_kind_display()),
    Column(_("Applies to"), lambda scorecard: str(scorecard.unit)),
    Column(_("Status"), lambda scorecard: gettext("In use") if scorecard.is_active else gettext("Not in use")),
]

KINDS = [
    exports.ExportKind("scorecards.trends", _("QA trends"), P.VIEW, trends_document),
    exports.list_kind("scorecards.designs", _("Scorecards"), P.VIEW, "scorecards", design_views.scorecard_filters,
                      lambda user, kind: selectors.scorecards(user, kind=kind), SCORECARD_COLUMNS),
    exports.list_kind("scorecards.evaluations", _("QA evaluations"), P.VIEW, "qa-evaluations",
                      views.evaluation_filters, selectors.evaluation_list, EVALUATION_COLUMNS),
    exports.list_kind("scorecards.calibrations", _("QA calibration"), P.VIEW, "qa-calibrations",
                      views.calibration_filters,
                      lambda user, status: selectors.calibrations(user, status=status).order_by("-created_at", "-id"),
                      CALIBRATION_COLUMNS),
]
