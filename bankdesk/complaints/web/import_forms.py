"""Forms of the import pages: they parse input; the rules live in `intake` (bulk_import, email_intake)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.complaints.intake.registration_input import RegistrationInput
from bankdesk.complaints.models import BusinessCategory, Cause, Channel, InboundEmailStatus
from bankdesk.complaints.web.forms import taxonomy_label
from bankdesk.core import rules
from bankdesk.core.forms import limit_upload
from bankdesk.core.inputs import InputForm
from bankdesk.orgs.forms import UnitChoiceField
from bankdesk.orgs.models import OrgUnit

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def entry_label(entry) -> str:
    """A list entry's label; a sub-category's after its parent's ("parent / entry")."""
    if getattr(entry, "parent_id", None):
        return f"{taxonomy_label(entry.parent)} / {taxonomy_label(entry)}"
    return taxonomy_label(entry)


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, entry):
        return entry_label(entry)


class UploadForm(InputForm):
    file = forms.FileField(label=_("File (CSV or Excel .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_upload(self.fields["file"], rules.get("complaint.import_max_megabytes"))  # refused before it is sent too


class EmailFilterForm(InputForm):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *InboundEmailStatus.choices])


class CompletionForm(InputForm):
    """The registration of a mail that needed completion, prefilled from the mail."""

    complainant_name = forms.CharField(label=_("Complainant"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    email = forms.EmailField(label=_("E-mail"), required=False)
    channel = EntryChoiceField(label=_("Channel"), queryset=Channel.objects.none())
    received_at = forms.DateTimeField(label=_("Received at"), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                 format=DATETIME_FORMAT))
    unit = UnitChoiceField(label=_("Outlet or department concerned"), queryset=OrgUnit.objects.none())
    business_category = EntryChoiceField(label=_("Business category"), queryset=BusinessCategory.objects.none())
    cause = EntryChoiceField(label=_("Cause"), queryset=Cause.objects.none())
    description = forms.CharField(label=_("The customer's own words"), widget=forms.Textarea(attrs={"rows": 10}))
    demand = forms.CharField(label=_("What the customer asks for"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, initial=None, **kwargs):
        initial = dict(initial or {})
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(is_active=True)
        self.fields["unit"].queryset = OrgUnit.objects.filter(is_active=True)
        self.fields["business_category"].queryset = (
            BusinessCategory.objects.filter(is_active=True).exclude(children__is_active=True)
            .select_related("parent").order_by("parent__sort_order", "sort_order", "code"))
        self.fields["cause"].queryset = Cause.objects.filter(is_active=True)
        for name in ("channel", "business_category", "cause"):
            code = initial.get(f"{name}_code")
            if code and name not in initial:
                self.initial[name] = self.fields[name].queryset.filter(code=code).first()

    def registration_input(self) -> RegistrationInput:
        data = self.cleaned_data
        return RegistrationInput(
            complainant_name=data["complainant_name"], phone=data["phone"], channel=data["channel"],
            unit=data["unit"], business_category=data["business_category"], cause=data["cause"],
            description=data["description"], demand=data.get("demand") or "", email=data.get("email") or "",
            received_at=data["received_at"])


class DismissForm(InputForm):
    reason = forms.CharField(label=_("Why is this e-mail not registered?"), max_length=500,
                             help_text=_("For example: advertising, an automatic reply, a duplicate of a complaint "
                                         "already registered."))
