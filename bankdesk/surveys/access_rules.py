"""Who may open the surveys pages and call its operations (see core/access.py)."""

from bankdesk.surveys.permissions import SurveyPermission as P

RULES = {}
