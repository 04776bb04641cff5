"""Who may open the outlet-quality pages and call its operations (see core/access.py)."""

from bankdesk.quality.permissions import QualityPermission as P

RULES = {
    "quality:star_round": P.VIEW,
}
