from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.analytics.dashboards import BOARDS
from bankdesk.analytics.periods import Period
from bankdesk.core.inputs import InputForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class DashboardForm(InputForm):
    received_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    received_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    unit = forms.CharField(label=_("Unit code"), required=False, max_length=32)
    view = forms.ChoiceField(label=_("Dashboard"), required=False,
                             choices=[("", "—"), *[(key, board.title) for key, board in BOARDS.items()]])

    def clean(self):
        data = super().clean()
        first, last = data.get("received_from"), data.get("received_to")
        if first and last and last < first:
            self.add_error("received_to", _("The last day comes before the first."))
        return data

    def period(self) -> Period:
        from bankdesk.analytics.dashboards import default_period

        default = default_period()
        first = self.cleaned_data.get("received_from") or default.first
        return Period(first, max(first, self.cleaned_data.get("received_to") or default.last))
