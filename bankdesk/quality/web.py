"""What the quality pages share: the units and staff a user may choose, list filters, and exports of a
list as CSV (streamed) or XLSX, each export on the audit trail."""


from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bankdesk.core import audit
from bankdesk.core.exports import Column
from bankdesk.core.forms import DATE_INPUT
from bankdesk.core.inputs import InputForm
from bankdesk.core.permissions import ROLE_PERMISSIONS, require, scope_q
from bankdesk.core.web import csv_download, xlsx_download
from bankdesk.orgs.models import OrgUnit, UnitKind, User
from bankdesk.quality.audit_actions import QualityAction
from bankdesk.quality.permissions import QualityPermission as P

EXPORT_CHUNK = 2000


def units_for(user, permission: str, outlets_only: bool = False):
    units = OrgUnit.objects.filter(scope_q(user, permission, "path"), is_active=True).order_by("path")
    return units.filter(kind=UnitKind.OUTLET) if outlets_only else units


def staff_for(user, permission: str):
    return User.objects.filter(scope_q(user, permission, "home_unit__path"), is_active=True).select_related(
        "home_unit").order_by("home_unit__path", "username")


def holders_of(users, permission: str):
    """Those of `users` holding a role that grants `permission` (somewhere)."""
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if permission in granted]
    return users.filter(role_assignments__is_active=True, role_assignments__role__in=roles).distinct()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user} · {user.home_unit.name}" if user.home_unit_id else str(user)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} ({unit.code})"


class ScopedForm(InputForm):
    """A form whose `unit` and `staff` choices are the units and staff the user holds `permission` over;
    the unit defaults to the user's own."""

    permission = P.RECORD
    outlets_only = True

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            self.fields["unit"].queryset = units_for(user, self.permission, self.outlets_only)
            if user.home_unit_id and not self.is_bound:
                self.initial.setdefault("unit", user.home_unit_id)
        if "staff" in self.fields:
            self.fields["staff"].queryset = staff_for(user, self.permission)


class FilterForm(ScopedForm):
    """The filters of a register list; `kind` is given its choices by each list."""

    permission = P.VIEW
    outlets_only = False
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    staff = StaffChoiceField(label=_("Staff member"), queryset=User.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    include_void = forms.BooleanField(label=_("Include voided records"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kinds=(), kind_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.pop("unit", None)
        self.fields["kind"].choices = [("", "—"), *kinds]
        if kind_label:
            self.fields["kind"].label = kind_label

    def values(self) -> dict:
        return {key: value for key, value in (self.cleaned_data if self.is_valid() else {}).items()
                if value not in (None, "")}


def export_rows(request, name: str, rows, filters: dict):
    """`rows` (the header first) as `name`-YYYYMMDD.csv (streamed) or .xlsx (?format=xlsx), the export audited."""
    require(request.user, P.EXPORT)
    xlsx = request.GET.get("format") == "xlsx"
    audit.record_event(QualityAction.EXPORT, object_type=f"quality.{name}", object_repr=name, actor=request.user,
                       after={"format": "xlsx" if xlsx else "csv",
                              "filters": {key: str(value) for key, value in filters.items()}})
    filename = f"{name}-{timezone.localdate():%Y%m%d}"
    return xlsx_download(f"{filename}.xlsx", rows) if xlsx else csv_download(f"{filename}.csv", rows)


def export(request, name: str, columns: list[Column], rows, filters: dict):
    """A list's rows (a query, read in chunks) under its columns' labels, as export_rows does; above
    core.export_direct_row_limit rows the list is exported in the background instead (我的导出)."""
    from bankdesk.core.export_views import background_instead

    require(request.user, P.EXPORT)
    large = background_instead(request, f"quality.{name.replace('-', '_')}",
                               "xlsx" if request.GET.get("format") == "xlsx" else "csv", dict(request.GET.lists()),
                               rows.count())
    if large is not None:
        return large
    body = ([column.value(row) for column in columns] for row in rows.iterator(chunk_size=EXPORT_CHUNK))
    return export_rows(request, name, _chain([str(column.label) for column in columns], body), filters)


def _chain(header: list, body):
    yield header
    yield from body
