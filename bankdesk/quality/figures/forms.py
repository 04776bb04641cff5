from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.core import rules
from bankdesk.core.forms import limit_upload
from bankdesk.core.inputs import InputForm
from bankdesk.orgs.models import OrgUnit
from bankdesk.quality.awards.forms import month_field
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.web import ScopedForm, UnitChoiceField


def count_field(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=100_000_000, required=False)


class FiguresForm(ScopedForm):
    """A unit's figures of one month; a blank figure is left as it is."""

    permission = P.MANAGE_FIGURES
    unit = UnitChoiceField(label=_("Outlet"), queryset=OrgUnit.objects.none())
    month = month_field()
    customers = count_field(_("Customers served"))
    responses = count_field(_("Customer evaluator: evaluations"))
    satisfied = count_field(_("Customer evaluator: satisfied"))

    def clean(self):
        data = super().clean()
        if all(data.get(name) is None for name in ("customers", "responses", "satisfied")):
            raise forms.ValidationError(_("Enter the customers or the evaluator results."))
        if (data.get("responses") is None) != (data.get("satisfied") is None):
            self.add_error("satisfied", _("Enter both the evaluations and the satisfied evaluations."))
        return data


class FiguresFilterForm(ScopedForm):
    permission = P.VIEW
    outlets_only = False
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    month_from = month_field(_("From"))
    month_to = month_field(_("To"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.pop("unit", None)
        for name in ("month_from", "month_to"):
            self.fields[name].required = False

    def values(self) -> dict:
        return {key: value for key, value in (self.cleaned_data if self.is_valid() else {}).items()
                if value not in (None, "")}


class UploadForm(InputForm):
    file = forms.FileField(label=_("File (CSV or Excel .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # refused in the browser before it is sent, and by the import
        limit_upload(self.fields["file"], rules.get("quality.figures_import_max_megabytes"))
