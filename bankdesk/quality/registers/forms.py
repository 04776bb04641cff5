from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.core.forms import DATE_INPUT
from bankdesk.core.inputs import InputForm
from bankdesk.orgs.models import OrgUnit, User
from bankdesk.quality.models import (
    AgeGroup,
    CareKind,
    CareOutcome,
    CommendationChannel,
    CustomerGroup,
    InterceptionOutcome,
    InterceptionSetting,
    ScamType,
    Trigger,
)
from bankdesk.quality.web import ScopedForm, StaffChoiceField, UnitChoiceField

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class RecordForm(ScopedForm):
    unit = UnitChoiceField(label=_("Outlet"), queryset=OrgUnit.objects.none())
    staff = StaffChoiceField(label=_("Staff member"), queryset=User.objects.none(), required=False)

    def values(self) -> dict:
        return dict(self.cleaned_data)


class CommendationForm(RecordForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=CommendationChannel.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DATE_INPUT)
    field_order = ["channel", "received_on", "unit", "staff", "staff_name", "praised_by", "summary"]
    staff_name = forms.CharField(label=_("Staff praised (as the customer named them)"), max_length=100,
                                 required=False)
    praised_by = forms.CharField(label=_("From (customer or organisation)"), max_length=100, required=False)
    summary = forms.CharField(label=_("What was praised"), widget=TEXTAREA)


class InterceptionForm(RecordForm):
    field_order = ["occurred_on", "unit", "staff", "setting", "trigger", "scam_type", "description",
                   "amount_protected", "customer_age_group", "police_involved", "outcome"]
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    setting = forms.ChoiceField(label=_("Where"), choices=InterceptionSetting.choices)
    trigger = forms.ChoiceField(label=_("How it was spotted"), choices=Trigger.choices)
    scam_type = forms.ModelChoiceField(label=_("Scam type"), queryset=ScamType.objects.filter(is_active=True))
    description = forms.CharField(label=_("What happened and the evidence"), widget=TEXTAREA)
    amount_protected = forms.DecimalField(label=_("Amount protected (yuan)"), min_value=0, max_digits=14,
                                          decimal_places=2)
    customer_age_group = forms.ChoiceField(label=_("Customer's age group"), choices=AgeGroup.choices)
    police_involved = forms.BooleanField(label=_("Police involved"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=InterceptionOutcome.choices)


class CareServiceForm(RecordForm):
    field_order = ["kind", "customer_group", "customer_label", "service_on", "unit", "staff", "description",
                   "outcome", "outcome_note"]
    kind = forms.ChoiceField(label=_("Service"), choices=CareKind.choices)
    customer_group = forms.ChoiceField(label=_("Customer"), choices=CustomerGroup.choices)
    customer_label = forms.CharField(label=_("Customer called"), max_length=50,
                                     help_text=_("How staff refer to the customer, e.g. 喻女士; no ID numbers"))
    service_on = forms.DateField(label=_("Date of the service"), widget=DATE_INPUT)
    description = forms.CharField(label=_("What the customer needed"), widget=TEXTAREA)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CareOutcome.choices, initial=CareOutcome.COMPLETED,
                                help_text=_("“Scheduled” for an appointment still ahead"))
    outcome_note = forms.CharField(label=_("Outcome note"), widget=TEXTAREA, required=False)


class CareOutcomeForm(InputForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[
        choice for choice in CareOutcome.choices if choice[0] != CareOutcome.SCHEDULED])
    outcome_note = forms.CharField(label=_("Outcome note"), widget=TEXTAREA, required=False)


class VoidForm(InputForm):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=300)
