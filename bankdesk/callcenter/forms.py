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
