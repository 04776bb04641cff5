"""What the organisation app puts on the home page: role grants waiting for a second administrator."""

from django.utils.translation import gettext_lazy as _

from bankdesk.core import home
from bankdesk.orgs import selectors
from bankdesk.orgs.permissions import OrgPermission


def grants_awaiting_me(user) -> int:
    """Pending grants at units the user manages that they may decide: neither asked for by them nor for them."""
    return selectors.grant_requests(user).exclude(requested_by=user).exclude(user=user).count()


TILES = (
    home.Tile("orgs.grants_awaiting", _("Role grants awaiting my approval"), "orgs:users", grants_awaiting_me,
              permission=OrgPermission.MANAGE_USERS, tone=home.WARNING, order=300,
              help=_("Roles that open customers' data take a second administrator.")),
)
