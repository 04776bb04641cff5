"""The forms of the remediation pages: list filters and each step's form. Choices are limited to what the user
may pick (units in their reach, the ladder and causes in use); the services check everything again."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bankdesk.core import rules
from bankdesk.core.forms import DATE_INPUT, limit_upload
from bankdesk.core.inputs import InputForm
from bankdesk.core.permissions import scope_q
from bankdesk.orgs.models import OrgUnit, User
from bankdesk.remediation.models import (
    AccountabilityStatus,
    PaymentKind,
    PaymentStatus,
    PenaltyLevel,
    RectificationStatus,
    RootCause,
)
from bankdesk.remediation.permissions import RemediationPermission as P

TEXTAREA = forms.Textarea(attrs={"rows": 3})
ANY = ("", "—")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} ({unit.code})"


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user} ({user.username})"


def units_for(user, permission: str = P.VIEW):
    return OrgUnit.objects.filter(scope_q(user, permission, "path"), is_active=True).order_by("path")


class FilterForm(InputForm):
    """What every remediation list filters on; `unit` offers the units in the user's reach."""

    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user)

    def values(self) -> dict:
        """The filters given, for the selector's filter dataclass."""
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "", False)}


class PeriodForm(InputForm):
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)


class PaymentFilterForm(FilterForm):
    field_order = ["number", "status", "kind", "pending", "unit", "date_from", "date_to"]
    number = forms.CharField(label=_("Tracking or order number"), max_length=24, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[ANY, *PaymentStatus.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[ANY, *PaymentKind.choices])
    pending = forms.BooleanField(label=_("Awaiting approval"), required=False)


class RectificationFilterForm(FilterForm):
    field_order = ["status", "open_only", "overdue", "mine", "root_cause", "unit", "date_from", "date_to"]
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[ANY, *RectificationStatus.choices])
    open_only = forms.BooleanField(label=_("Not verified yet"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Mine"), required=False)
    root_cause = forms.ModelChoiceField(label=_("Root cause"), required=False, queryset=RootCause.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root_cause"].queryset = RootCause.objects.order_by("sort_order", "code")


class AccountabilityFilterForm(FilterForm):
    field_order = ["number", "status", "penalty", "unit", "date_from", "date_to"]
    number = forms.CharField(label=_("Tracking number"), max_length=24, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[ANY, *AccountabilityStatus.choices])
    penalty = forms.ModelChoiceField(label=_("Penalty"), required=False, queryset=PenaltyLevel.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["penalty"].queryset = PenaltyLevel.objects.order_by("sort_order", "code")


# --- Payment orders ----------------------------------------------------------------------------------------------

class ProposePaymentForm(InputForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PaymentKind.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2, min_value=0,
                                required=False, help_text=_("Empty: what the decision leaves of this kind"))
    payee_name = forms.CharField(label=_("Payee"), max_length=100)
    payee_account = forms.CharField(label=_("Payee account"), max_length=60)
    payee_bank = forms.CharField(label=_("Payee bank"), max_length=100, required=False,
                                 help_text=_("Empty: our bank"))
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)


class ApprovePaymentForm(InputForm):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    code = forms.CharField(label=_("One-time code"), max_length=6, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
                           help_text=_("The six digits your authenticator shows now"))

    def __init__(self, *args, code_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not code_required:
            del self.fields["code"]
        else:
            self.fields["code"].required = True


class ReasonForm(InputForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=TEXTAREA)


class PaidForm(InputForm):
    reference = forms.CharField(label=_("Payment reference"), max_length=64,
                                help_text=_("The reference of the payment in the core-banking system"))


class CodeForm(InputForm):
    code = forms.CharField(label=_("One-time code"), max_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


# --- Rectification -----------------------------------------------------------------------------------------------

class ItemForm(InputForm):
    root_cause = forms.ModelChoiceField(label=_("Root cause"), queryset=RootCause.objects.none(), required=False)
    summary = forms.CharField(label=_("What went wrong"), max_length=300)
    corrective_action = forms.CharField(label=_("Corrective action"), widget=TEXTAREA, required=False)
    preventive_action = forms.CharField(label=_("Preventive action"), widget=TEXTAREA, required=False)
    owner = StaffChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DATE_INPUT)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root_cause"].queryset = RootCause.objects.filter(is_active=True).order_by("sort_order", "code")
        # the unit's staff and those of the units above it (its heads); the service checks the right
        self.fields["owner"].queryset = User.objects.filter(
            Q(home_unit__path__startswith=item.unit_path) | Q(home_unit__path__in=item.unit.ancestor_paths()),
            is_active=True).order_by("username")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); the service checks each."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        return [single(item, initial) for item in data] if isinstance(data, (list, tuple)) else [single(data, initial)]


class EvidenceForm(InputForm):
    files = MultipleFileField(label=_("Evidence files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_upload(self.fields["files"], rules.get("remediation.evidence_max_megabytes"),
                     rules.get("remediation.evidence_max_count"))


class LinkForm(InputForm):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=24,
                                      help_text=_("Another bank-at-fault complaint of the same root cause"))


class VerifyForm(InputForm):
    accepted = forms.TypedChoiceField(label=_("Outcome"), coerce=lambda value: value == "yes",
                                      choices=[("yes", _("Verified")), ("no", _("Sent back"))],
                                      widget=forms.RadioSelect)
    note = forms.CharField(label=_("What the verification found"), widget=TEXTAREA)


# --- Accountability ----------------------------------------------------------------------------------------------

class ProposeAccountabilityForm(InputForm):
    staff = StaffChoiceField(label=_("Staff member"), queryset=User.objects.none())
    penalty = forms.ModelChoiceField(label=_("Penalty"), queryset=PenaltyLevel.objects.none())
    facts = forms.CharField(label=_("Facts and grounds"), widget=TEXTAREA)

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        paths = [path for path in (complaint.unit_path, complaint.lead_department_path) if path]
        staff = User.objects.filter(is_active=True, home_unit__path__startswith=paths[0])
        for path in paths[1:]:
            staff = staff | User.objects.filter(is_active=True, home_unit__path__startswith=path)
        if complaint.staff_concerned_id:
            staff = staff | User.objects.filter(pk=complaint.staff_concerned_id)
            self.initial.setdefault("staff", complaint.staff_concerned_id)
        self.fields["staff"].queryset = staff.distinct().order_by("username")
        self.fields["penalty"].queryset = PenaltyLevel.objects.filter(is_active=True).order_by("sort_order", "code")


class DecideForm(InputForm):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda value: value == "yes",
                                     choices=[("yes", _("Approve")), ("no", _("Do not approve"))],
                                     widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           help_text=_("Required when it is not approved"))


class AppealForm(InputForm):
    text = forms.CharField(label=_("Why you appeal"), widget=TEXTAREA)


class DecideAppealForm(InputForm):
    uphold = forms.TypedChoiceField(label=_("Decision"), coerce=lambda value: value == "yes",
                                    choices=[("yes", _("Dismiss the appeal: the penalty stays")),
                                             ("no", _("Change the penalty"))], widget=forms.RadioSelect)
    penalty = forms.ModelChoiceField(label=_("New penalty"), queryset=PenaltyLevel.objects.none(), required=False)
    note = forms.CharField(label=_("Reasons"), max_length=300, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["penalty"].queryset = PenaltyLevel.objects.filter(is_active=True).order_by("sort_order", "code")
