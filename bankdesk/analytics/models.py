"""The analytics app's tables, each declared beside the code that uses it."""

from bankdesk.analytics.reports.models import FrozenReport, RegulatoryReport, ReportKind  # noqa: F401
from bankdesk.analytics.warnings.models import EarlyWarning, EarlyWarningComplaint  # noqa: F401
