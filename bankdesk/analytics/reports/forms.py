from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bankdesk.analytics.reports.models import ReportKind
from bankdesk.analytics.reports.services import FIRST_YEAR
from bankdesk.core.inputs import InputForm

SUBMITTED_CHOICES = [("", "—"), ("yes", _("Submitted (frozen)")), ("no", _("Not submitted"))]


class ReportFilterForm(InputForm):
    kind = forms.ChoiceField(label=_("Report"), required=False, choices=[("", "—"), *ReportKind.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=2100)
    unit = forms.CharField(label=_("Unit code"), required=False, max_length=32)
    submitted = forms.ChoiceField(label=_("Submitted"), required=False, choices=SUBMITTED_CHOICES)
    sort = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)


class ReportRequestForm(InputForm):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2100)
    number = forms.IntegerField(label=_("Period (month 1–12, quarter 1–4, half-year 1–2; 1 for a year)"),
                                min_value=1, max_value=12, initial=1)
    unit = forms.CharField(label=_("Unit code"), max_length=32,
                           help_text=_("The unit whose subtree the report covers; its regions are the units one "
                                       "level under it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
