"""Forms of the call-center pages: they parse input; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.core import rules
from bankdesk.core.forms import limit_upload
from bankdesk.core.inputs import InputForm


class UploadForm(InputForm):
    file = forms.FileField(label=_("File (CSV or Excel .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # refused in the browser before it is sent, and by the import
        limit_upload(self.fields["file"], rules.get("callcenter.import_max_megabytes"))


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


# --- Teams, agents and skills -------------------------------------------------------------------------------------

ACTIVE_FILTER = [("", _("All")), ("yes", _("Active")), ("no", _("Inactive"))]
LEVEL_CHOICES = [("", _("None")), *[(str(level), str(level)) for level in range(1, 6)]]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} ({unit.code})"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user} ({user.username})"


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return f"{item.code} {item.name}"


class ListFilterForm(InputForm):
    """What the team, agent and skill lists filter on; `values()` gives the selector's filter fields."""

    q = forms.CharField(label=_("Words"), max_length=100, required=False)
    active = forms.ChoiceField(label=_("Active"), choices=ACTIVE_FILTER, required=False)
    sort = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def values(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


class SkillFilterForm(ListFilterForm):
    pass


class TeamFilterForm(ListFilterForm):
    field_order = ["q", "unit", "active"]
    unit = UnitChoiceField(label=_("Unit"), queryset=None, required=False, empty_label=_("All"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AgentFilterForm(ListFilterForm):
    field_order = ["q", "team", "skill", "active"]
    team = CodeChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("All"))
    skill = CodeChoiceField(label=_("Skill"), queryset=None, required=False, empty_label=_("All"))

    def __init__(self, *args, teams, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["skill"].queryset = skills


class SkillForm(InputForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("Untick to deactivate: agents keep their level, nothing is deleted."))


class TeamForm(InputForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    leader = UserChoiceField(label=_("Team leader"), queryset=None, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("Untick to deactivate the team once it has no active agents."))

    def __init__(self, *args, units, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["leader"].queryset = users


class AgentForm(InputForm):
    """An agent: the member of staff (chosen when the agent is made), the agent ID, the team, and a level from 1 to
    5 for each skill the agent has (one field per skill in use, and per retired skill the agent still has)."""

    user = UserChoiceField(label=_("Member of staff"), queryset=None)
    agent_code = forms.CharField(label=_("Agent ID"), max_length=32,
                                 help_text=_("The login of the agent on the call distributor (工号)."))
    team = CodeChoiceField(label=_("Team"), queryset=None)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("Untick to deactivate the agent; the record stays."))

    def __init__(self, *args, users, teams, skills, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if adding:
            self.fields["user"].queryset = users
            del self.fields["is_active"]
        else:
            del self.fields["user"]
        self.fields["team"].queryset = teams
        self.skills = list(skills)
        for skill in self.skills:
            self.fields[f"skill_{skill.pk}"] = forms.ChoiceField(
                label=_("Level: %(skill)s") % {"skill": skill.name}, choices=LEVEL_CHOICES, required=False)

    def levels(self) -> dict:
        """{skill: level} of the skills given a level."""
        return {skill: int(self.cleaned_data[f"skill_{skill.pk}"]) for skill in self.skills
                if self.cleaned_data.get(f"skill_{skill.pk}")}
