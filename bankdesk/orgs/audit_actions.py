"""The audit actions of the organisation app, with what they are called on screen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgAction(models.TextChoices):
    BOOTSTRAP = "org.bootstrap", _("Organisation created")
    UNIT_CREATE = "org.unit.create", _("Unit created")
    UNIT_UPDATE = "org.unit.update", _("Unit changed")
    USER_CREATE = "org.user.create", _("User created")
    USER_UPDATE = "org.user.update", _("User changed")
    USER_PASSWORD = "org.user.password", _("Password changed")
    ROLE_ASSIGN = "org.role.assign", _("Role assigned")
    ROLE_REVOKE = "org.role.revoke", _("Role withdrawn")
    GRANT_REQUEST = "org.role.grant_request", _("Role grant requested")
    GRANT_APPROVE = "org.role.grant_approve", _("Role grant approved")
    GRANT_REJECT = "org.role.grant_reject", _("Role grant rejected")
    TOKEN_CREATE = "org.token.create", _("API token created")
    TOKEN_REVOKE = "org.token.revoke", _("API token revoked")
