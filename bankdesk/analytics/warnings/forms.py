from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.analytics.warnings.models import WarningKind, WarningStatus
from bankdesk.analytics.warnings.permissions import WarningPermission as P
from bankdesk.analytics.warnings.services import NOTE_MAX_LENGTH
from bankdesk.core.forms import DATE_INPUT
from bankdesk.core.inputs import InputForm
from bankdesk.core.permissions import scope_q
from bankdesk.orgs.models import OrgUnit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} ({unit.code})"


class WarningFilterForm(InputForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *WarningKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *WarningStatus.choices])
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    day_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    day_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            scope_q(user, P.VIEW_WARNINGS, "path"), is_active=True).order_by("path")

    def values(self) -> dict:
        return {key: value for key, value in (self.cleaned_data if self.is_valid() else {}).items()
                if value not in (None, "")}


class HandleForm(InputForm):
    note = forms.CharField(label=_("What was done"), max_length=NOTE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 4}))
