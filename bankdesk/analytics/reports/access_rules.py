"""Who may open the regulatory statistics' pages and call their operations (see core/access.py)."""

from bankdesk.analytics.reports.permissions import ReportPermission as P

RULES = {
    "analytics_reports:list": P.VIEW,
    "analytics_reports:request": P.RUN,
    "analytics_reports:detail": P.VIEW,
    "analytics_reports:recompute": P.RUN,
    "analytics_reports:freeze": P.FREEZE,
    "analytics_reports:differences": P.VIEW,
    "analytics_reports:export_csv": P.VIEW,
    "analytics_reports:export_xlsx": P.VIEW,
    "analytics_list_reports": P.VIEW,
    "analytics_get_report": P.VIEW,
    "analytics_request_report": P.RUN,
    "analytics_recompute_report": P.RUN,
    "analytics_freeze_report": P.FREEZE,
    "analytics_report_differences": P.VIEW,
}
