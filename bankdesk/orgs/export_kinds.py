"""The unit and user lists as background exports (core/exports.py): each list page's own filters and scoped
selector, under the columns the page shows."""

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from bankdesk.core import exports
from bankdesk.core.exports import Column
from bankdesk.orgs import selectors, views
from bankdesk.orgs.permissions import OrgPermission as P

UNIT_COLUMNS = [
    Column(_("Name"), lambda unit: unit.name),
    Column(_("Code"), lambda unit: unit.code),
    Column(_("Kind"), lambda unit: unit.get_kind_display()),
    Column(_("Parent unit"), lambda unit: unit.parent.name if unit.parent_id else ""),
    Column(_("Status"), lambda unit: gettext("Active") if unit.is_active else gettext("Inactive")),
]
USER_COLUMNS = [
    Column(_("User name"), lambda person: person.username),
    Column(pgettext_lazy("person", "Name"), lambda person: person.display_name),
    Column(_("Home unit"), lambda person: person.home_unit.name if person.home_unit_id else ""),
    Column(_("Staff number"), lambda person: person.staff_number),
    Column(_("Status"), lambda person: gettext("Active") if person.is_active else gettext("Disabled")),
]

KINDS = [
    exports.list_kind("orgs.units", _("Organisation"), P.VIEW_ORG, "units", views.unit_filters,
                      lambda user, filters: selectors.visible_units(user, **filters), UNIT_COLUMNS),
    exports.list_kind("orgs.users", _("Users"), P.MANAGE_USERS, "users", views.user_filters,
                      lambda user, filters: selectors.visible_users(user, **filters), USER_COLUMNS),
]
