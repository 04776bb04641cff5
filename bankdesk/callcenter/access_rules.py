"""Who may open the call-center pages and call its operations (see core/access.py)."""

from bankdesk.callcenter.permissions import CallcenterPermission as P

RULES: dict = {}
