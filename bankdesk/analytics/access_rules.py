"""Who may open the analytics pages and call its operations (see core/access.py)."""

from bankdesk.analytics.permissions import AnalyticsPermission as P

RULES = {
    "analytics_volume": P.VIEW,
    "analytics:dashboard": P.VIEW,
    "analytics_indicators": P.VIEW,
    "analytics_indicator_breakdown": P.VIEW,
}
