"""Forms of the workforce pages: they parse input; the rules live in the services and the maths."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bankdesk.core.inputs import InputForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class QueueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, queue):
        return f"{queue.code} {queue.name}"


class CalculatorForm(InputForm):
    """The Erlang calculator: a share is entered as a percentage here."""

    MODELS = [("c", _("Erlang C (callers wait)")), ("a", _("Erlang A (callers hang up)"))]

    model = forms.ChoiceField(label=_("Model"), choices=MODELS, initial="c")
    calls = forms.FloatField(label=_("Calls in the interval"), min_value=0, max_value=1_000_000)
    interval_minutes = forms.IntegerField(label=_("Interval (minutes)"), min_value=1, max_value=1440, initial=30)
    aht_seconds = forms.FloatField(label=_("Average handle time (seconds)"), min_value=1, max_value=86_400)
    target_seconds = forms.FloatField(label=_("Answer within (seconds)"), min_value=0, max_value=3600)
    target_percent = forms.FloatField(label=_("Service-level target (%)"), min_value=1, max_value=99.9)
    shrinkage_percent = forms.FloatField(label=_("Shrinkage (%)"), min_value=0, max_value=90)
    max_occupancy_percent = forms.FloatField(label=_("Maximum occupancy (%)"), min_value=1, max_value=100,
                                             required=False, help_text=_("Empty: no cap"))
    patience_seconds = forms.FloatField(label=_("Mean patience (seconds, Erlang A)"), min_value=1,
                                        max_value=86_400, required=False)
    agents = forms.IntegerField(label=_("Evaluate this many agents"), min_value=0, max_value=100_000, required=False,
                                help_text=_("Empty: find the fewest that meet the target"))

    def clean(self):
        data = super().clean()
        if data.get("model") == "a" and not data.get("patience_seconds"):
            self.add_error("patience_seconds", _("Erlang A needs the callers' mean patience."))
        return data


class ForecastForm(InputForm):
    queue = QueueChoiceField(label=_("Queue"), queryset=None)
    first_day = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=366, initial=28)

    def __init__(self, *args, queues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues
        today = timezone.localdate()
        self.fields["first_day"].initial = today + timedelta(days=7 - today.weekday())


class RosterForm(InputForm):
    forecast = forms.ModelChoiceField(label=_("Forecast"), queryset=None)
    week_start = forms.DateField(label=_("Week from (Monday)"), widget=DATE_INPUT)

    def __init__(self, *args, forecasts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forecast"].queryset = forecasts
        self.fields["forecast"].label_from_instance = lambda run: _("%(queue)s from %(day)s, %(days)d days") % {
            "queue": run.queue.name, "day": run.first_day, "days": run.days}


class ListFilterForm(InputForm):
    queue = QueueChoiceField(label=_("Queue"), queryset=None, required=False, empty_label=_("All queues"))
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, queues, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues
        self.fields["status"].choices = [("", _("Any status")), *statuses]


class ShiftForm(InputForm):
    """A shift as the planner types it, in local time."""

    agent = forms.ModelChoiceField(label=_("Agent"), queryset=None)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_INPUT)
    lunch_starts_at = forms.DateTimeField(label=_("Lunch from"), widget=DATETIME_INPUT, required=False)
    lunch_minutes = forms.IntegerField(label=_("Lunch (minutes)"), min_value=0, max_value=180, initial=0)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents


# --- Absences ------------------------------------------------------------------------------------------------------

class AgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agent):
        return f"{agent.agent_code} {agent.user}"


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, team):
        return f"{team.code} {team.name}"


class AbsenceFilterForm(InputForm):
    q = forms.CharField(label=_("Agent"), max_length=100, required=False)
    team = TeamChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("All"))
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    active = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), ("yes", _("In force")), ("no", _("Cancelled"))])
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    sort = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, teams, **kwargs):
        from bankdesk.workforce.models import AbsenceKind

        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["kind"].choices = [("", _("All")), *AbsenceKind.choices]

    def values(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


class AbsenceForm(InputForm):
    """An agent's leave or unavailability, from the first to the last day (both included)."""

    agent = AgentChoiceField(label=_("Agent"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"))
    first_day = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    last_day = forms.DateField(label=_("Last day"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("In force"), required=False, initial=True,
                                   help_text=_("Untick to cancel the absence; it stays on record."))

    def __init__(self, *args, agents, **kwargs):
        from bankdesk.workforce.models import AbsenceKind

        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents
        self.fields["kind"].choices = AbsenceKind.choices
