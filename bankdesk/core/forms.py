from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.core.audit import ACTIONS, action_label
from bankdesk.core.audit_display import object_types
from bankdesk.core.inputs import InputForm
from bankdesk.core.models import AuditSource, DayKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def limit_upload(field: forms.FileField, max_megabytes: int, max_files: int | None = None) -> None:
    """Tell the browser the limits of a file field, so that a file too large (or too many) is refused before
    it is sent (bankdesk.js); the service still checks them."""
    field.widget.attrs["data-max-bytes"] = max_megabytes * 1024 * 1024
    if max_files:
        field.widget.attrs["data-max-files"] = max_files


def _action_choices() -> list:
    """The registered actions by their labels, grouped by the first part of their code ("complaint", "org")."""
    groups: dict[str, list] = {}
    for action in sorted(ACTIONS.entries, key=lambda code: (code.split(".")[0], action_label(code))):
        groups.setdefault(action.split(".")[0], []).append((action, action_label(action)))
    return [("", "—"), *groups.items()]


class AuditFilterForm(InputForm):
    object_name = forms.CharField(label=_("Tracking number or object"), required=False, max_length=200)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", "—"), *AuditSource.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = _action_choices()
        self.fields["object_type"].choices = [("", "—"), *object_types()]


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
