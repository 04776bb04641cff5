"""Who may open the organisation's pages and call its operations (see core/access.py)."""

from bankdesk.core.access import SIGNED_IN
from bankdesk.orgs.permissions import OrgPermission as P

RULES = {
    "orgs:units": P.VIEW_ORG, "orgs:unit_create": P.MANAGE_ORG, "orgs:unit_edit": P.MANAGE_ORG,
    "orgs:users": P.MANAGE_USERS, "orgs:user_create": P.MANAGE_USERS, "orgs:user_detail": P.MANAGE_USERS,
    "orgs:user_set_active": P.MANAGE_USERS, "orgs:user_reveal_mobile": P.MANAGE_USERS,
    "orgs:role_revoke": P.MANAGE_USERS, "orgs:grant_approve": P.MANAGE_USERS, "orgs:grant_reject": P.MANAGE_USERS,
    "orgs:tokens": SIGNED_IN, "orgs:token_revoke": SIGNED_IN,
    "orgs_me": SIGNED_IN, "orgs_list_units": P.VIEW_ORG, "orgs_get_unit": P.VIEW_ORG, "orgs_create_unit": P.MANAGE_ORG,
    "orgs_list_tokens": SIGNED_IN, "orgs_create_token": SIGNED_IN, "orgs_revoke_token": SIGNED_IN,
}
