"""Forms of the call-center pages: they parse input; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.core.inputs import InputForm


class UploadForm(InputForm):
    file = forms.FileField(label=_("File (CSV or Excel .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))


DATE_INPUT = forms.DateInput(attrs={"type": "date"})
PERIOD_CHOICES = [("day", _("By day")), ("week", _("By week")), ("month", _("By month"))]
MAX_BUCKETS = {"day": 366, "week": 157 * 7, "month": 10 * 366}  # days a chart of each period may span


class QueueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, queue):
        return f"{queue.code} {queue.name}"


class KpiFilterForm(InputForm):
    """The KPI page's filters; the queues offered are those the user sees."""

    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False)
    queue = QueueChoiceField(label=_("Queue"), queryset=None, required=False, empty_label=_("All queues"))
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, queues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        period = data.get("period") or "day"
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        elif start and end and (end - start).days > MAX_BUCKETS[period]:
            self.add_error("date_from", _("Choose a shorter span, or group by week or month."))
        return data


# --- The agent's desk and the standard scripts --------------------------------------------------------------------

class CallerSearchForm(InputForm):
    """Find a caller's complaints: by tracking number, or by the phone number (sent by POST, never in a URL)."""

    tracking_number = forms.CharField(label=_("Tracking number"), max_length=24, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("tracking_number") or "").strip() and not (data.get("phone") or "").strip():
            raise forms.ValidationError(_("Give the tracking number or the caller's phone number."))
        return data


class CallLogForm(InputForm):
    text = forms.CharField(label=_("What the caller asked"), max_length=500, required=False,
                           widget=forms.TextInput(attrs={"size": 60}),
                           help_text=_("Empty: the customer asked for progress."))


class ScriptSearchForm(InputForm):
    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    reason = forms.ModelChoiceField(label=_("Call reason"), queryset=None, required=False, empty_label=_("All"))

    def __init__(self, *args, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = reasons


class ScriptForm(InputForm):
    reason = forms.ModelChoiceField(label=_("Call reason"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Script"), widget=forms.Textarea(attrs={"rows": 10}))
    unit = forms.ModelChoiceField(label=_("Written for"), queryset=None)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, reasons, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = reasons
        self.fields["unit"].queryset = units
