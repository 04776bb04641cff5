"""What remediation puts on the workspace: its menu entries with their badges and the home page's tiles. Each
count is one COUNT on an index."""

from django.utils.translation import gettext_lazy as _

from bankdesk.core import home, navigation
from bankdesk.remediation import selectors
from bankdesk.remediation.permissions import RemediationPermission as P

CASES = navigation.COMPLAINTS

ENTRIES = (
    navigation.NavEntry(_("Payment orders"), "remediation:payments", permission=P.VIEW, order=90, group=CASES,
                        count=selectors.payments_awaiting),
    navigation.NavEntry(_("Rectification"), "remediation:items", permission=P.VIEW, order=92, group=CASES,
                        count=selectors.my_open_rectification),
    navigation.NavEntry(_("Accountability"), "remediation:records", permission=P.VIEW_ACCOUNTABILITY, order=94, group=CASES,
                        count=selectors.accountability_awaiting),
    navigation.NavEntry(_("My accountability records"), "remediation:my_records", order=900),
    navigation.NavEntry(_("Rectification report"), "remediation:rectification_report", permission=P.VIEW, order=60,
                        group=navigation.REPORTS),
    navigation.NavEntry(_("Authority limits"), "core:config_table", ("authority-limits",), permission=P.MANAGE_LIMITS,
                        order=140, group=navigation.ADMINISTRATION),
    navigation.NavEntry(_("Root causes"), "core:config_table", ("root-causes",), permission=P.MANAGE_TABLES,
                        order=141, group=navigation.ADMINISTRATION),
    navigation.NavEntry(_("Penalty ladder"), "core:config_table", ("penalty-levels",), permission=P.MANAGE_TABLES,
                        order=142, group=navigation.ADMINISTRATION),
)

TILES = (
    home.Tile("remediation.payments_awaiting", _("Payment orders awaiting my approval"), "remediation:payments",
              selectors.payments_awaiting, permission=P.APPROVE_PAYMENT, query="pending=on", tone=home.WARNING,
              order=400),
    home.Tile("remediation.my_rectification", _("My rectification items"), "remediation:items",
              selectors.my_open_rectification, permission=P.RECTIFY, query="mine=on&open_only=on", order=410),
    home.Tile("remediation.to_verify", _("Rectification awaiting verification"), "remediation:items",
              selectors.rectification_to_verify, permission=P.VERIFY, query="status=reported", section=home.TEAM,
              tone=home.WARNING, order=400),
)
