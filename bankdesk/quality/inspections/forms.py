from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.core import rules
from bankdesk.core.forms import DATE_INPUT, limit_upload
from bankdesk.core.inputs import InputForm
from bankdesk.orgs.models import OrgUnit, User
from bankdesk.quality.inspections.checklists import templates
from bankdesk.quality.models import FollowUpStatus, VisitMethod, VisitStatus
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.web import (
    ScopedForm,
    StaffChoiceField,
    UnitChoiceField,
    holders_of,
    staff_for,
)
from bankdesk.scorecards.models import ScorecardVersion

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ChecklistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, version):
        return f"{version.scorecard.name} ({version.scorecard.code} v{version.number})"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); the service checks each."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        return [single(item, initial) for item in data] if isinstance(data, (list, tuple)) else [single(data, initial)]


class VisitForm(ScopedForm):
    permission = P.INSPECT
    field_order = ["method", "unit", "scheduled_for", "version", "inspector", "plan_note"]
    method = forms.ChoiceField(label=_("Method"), choices=VisitMethod.choices)
    unit = UnitChoiceField(label=_("Outlet"), queryset=OrgUnit.objects.none())
    scheduled_for = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    version = ChecklistChoiceField(label=_("Checklist"), queryset=ScorecardVersion.objects.none())
    inspector = StaffChoiceField(label=_("Inspector"), queryset=User.objects.none(), required=False,
                                 help_text=_("Empty: you inspect yourself"))
    plan_note = forms.CharField(label=_("What to look at"), widget=TEXTAREA, required=False)

    def __init__(self, *args, checklists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = checklists
        self.fields["inspector"].queryset = holders_of(self.fields["inspector"].queryset, P.INSPECT)


class VisitFilterForm(ScopedForm):
    permission = P.VIEW
    outlets_only = False
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    method = forms.ChoiceField(label=_("Method"), required=False, choices=[("", "—"), *VisitMethod.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *VisitStatus.choices])
    mine = forms.BooleanField(label=_("My visits"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.pop("unit", None)


class FollowUpFilterForm(ScopedForm):
    permission = P.VIEW
    outlets_only = False
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Not closed")), *FollowUpStatus.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Mine"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.pop("unit", None)


class PhotoForm(InputForm):
    photos = MultipleFileField(label=_("Photos (JPEG or PNG)"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_upload(self.fields["photos"], rules.get("quality.photo_max_megabytes"),
                     rules.get("quality.photo_max_count"))


class CancelForm(InputForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class ReportForm(InputForm):
    note = forms.CharField(label=_("What was done"), widget=TEXTAREA)


class VerifyForm(InputForm):
    accepted = forms.TypedChoiceField(label=_("Verification"), coerce=lambda value: value == "yes",
                                      choices=[("yes", _("Fixed: close it")), ("no", _("Not fixed: send it back"))],
                                      widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), widget=TEXTAREA, required=False)


class ReassignForm(ScopedForm):
    permission = P.INSPECT
    owner = StaffChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DATE_INPUT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["owner"].queryset = holders_of(staff_for(user, P.INSPECT), P.FOLLOW_UP)


class InstallForm(ScopedForm):
    permission = P.MANAGE_CHECKLISTS
    outlets_only = False
    template = forms.ChoiceField(label=_("Template"))
    unit = UnitChoiceField(label=_("Applies to (and below)"), queryset=OrgUnit.objects.none())
    code = forms.CharField(label=_("Code"), max_length=32, required=False,
                           help_text=_("Empty: the template's code, with the unit's below the head office"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(code, f"{shape['name']} ({code})") for code, shape in templates().items()]
