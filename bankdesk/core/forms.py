from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.core.inputs import InputForm
from bankdesk.core.models import AuditSource, DayKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class AuditFilterForm(InputForm):
    actor = forms.CharField(label=_("Actor"), required=False)
    action = forms.CharField(label=_("Action"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", "—"), *AuditSource.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)


class RuleForm(InputForm):
    value = forms.CharField(label=_("New value"), max_length=30)
    reason = forms.CharField(label=_("Reason for the change"), max_length=200)


class CalendarDayForm(InputForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=_("Name"), max_length=50, required=False)


class CalendarYearForm(InputForm):
    year = forms.IntegerField(label=_("Year"))
    source = forms.CharField(label=_("Source (e.g. the State Council notice)"), max_length=100)
