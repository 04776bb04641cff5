"""Forms of the complaint page's steps (state_machine.STEPS): each parses what its service takes; the
services check the rest."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bankdesk.complaints.models import (
    Cause,
    ClosureCode,
    ContactChannel,
    NonAcceptanceReason,
    NoticeChannel,
    PauseReason,
    Remedy,
    ReopenKind,
    Satisfaction,
    ScreeningOutcome,
    Severity,
)
from bankdesk.complaints.web.forms import (
    CategoryField,
    LocalDateTimeInput,
    TaxonomyChoiceField,
    UnitMultipleChoiceField,
)
from bankdesk.core.inputs import InputForm
from bankdesk.orgs.forms import UnitChoiceField
from bankdesk.orgs.models import OrgUnit, User


def offer_reachable_channels(form: forms.Form, complaint) -> None:
    """A letter is offered only when the complaint has a postal address on record."""
    if complaint.postal_address:
        return
    for field in form.fields.values():
        if isinstance(field, forms.ChoiceField) and any(value == NoticeChannel.LETTER for value, _label in field.choices):
            field.choices = [choice for choice in field.choices if choice[0] != NoticeChannel.LETTER]


class VersionedForm(InputForm):
    """Every review step carries the version the reviewer saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class AcceptForm(VersionedForm):
    """The acceptance review classifies: the registered entries come filled in, the reviewer corrects them."""

    business_category = CategoryField(label=_("Business category"), required=False)
    cause = TaxonomyChoiceField(label=_("Cause"), queryset=Cause.objects.none(), required=False, empty_label="—")
    severity = forms.TypedChoiceField(label=_("Severity"), choices=Severity.choices, coerce=int, required=False,
                                      empty_value=None)
    confirm_other_cause = forms.BooleanField(label=_("None of the listed causes fits: keep “other”"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_category"].load()
        self.fields["cause"].queryset = Cause.objects.filter(is_active=True)


class ReclassifyForm(AcceptForm):
    reason = forms.CharField(label=_("Why the classification changes"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RefuseForm(VersionedForm):
    reason = TaxonomyChoiceField(label=_("Reason for not accepting"), queryset=NonAcceptanceReason.objects.none(),
                                 empty_label="—")
    notice_channel = forms.ChoiceField(label=_("Tell the customer by"), choices=NoticeChannel.choices)
    notice_text = forms.CharField(label=_("Notice to the customer"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = NonAcceptanceReason.objects.filter(is_active=True)
        self.fields["reason"].widget.attrs.update({
            "hx-get": reverse("complaints:refusal_notice", args=[complaint.pk]), "hx-target": "#refuse_notice_text",
            "hx-swap": "outerHTML", "hx-trigger": "change"})
        self.fields["notice_text"].widget.attrs["id"] = "refuse_notice_text"
        self.fields["notice_text"].help_text = _("Choosing a reason fills in the standard wording; edit it as needed.")


class MergeForm(VersionedForm):
    into = forms.CharField(label=_("Merge into (tracking number)"), max_length=24)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(VersionedForm):
    note = forms.CharField(label=_("How the customer withdrew (call, letter, in person)"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RouteForm(VersionedForm):
    lead_department = UnitChoiceField(label=_("Lead department"), queryset=OrgUnit.objects.none(), empty_label="—")
    assisting_departments = UnitMultipleChoiceField(label=_("Assisting departments"), required=False,
                                                    queryset=OrgUnit.objects.none(),
                                                    widget=forms.SelectMultiple(attrs={"size": 5}))
    handler = forms.ModelChoiceField(label=_("Handler"), required=False, queryset=User.objects.none(),
                                     empty_label=_("Automatic: the least-loaded handler"))

    def __init__(self, *args, complaint, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(is_active=True).order_by("path")
        self.fields["lead_department"].queryset = units
        self.fields["assisting_departments"].queryset = units
        self.fields["handler"].queryset = handlers
        self.fields["handler"].widget.attrs["id"] = "route_handler"
        self.fields["lead_department"].widget.attrs.update({
            "hx-get": reverse("complaints:handler_options", args=[complaint.pk]), "hx-target": "#route_handler",
            "hx-swap": "outerHTML", "hx-trigger": "change"})


def _text(label, required=True, rows=3, max_length=5000):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


class NoteForm(VersionedForm):
    text = _text(_("Investigation note"), rows=4)


class ContactForm(VersionedForm):
    channel = forms.ChoiceField(label=_("How"), choices=ContactChannel.choices)
    summary = _text(_("What was said"))


class RegulatorFeedbackForm(VersionedForm):
    """申诉反馈: what was reported to the regulator, and when it was sent (left empty: now)."""

    content = _text(_("What was reported to the regulator"), rows=4)
    sent_at = forms.DateTimeField(label=_("Sent at"), required=False, widget=LocalDateTimeInput(),
                                  help_text=_("Left empty: now."))


class AssistForm(VersionedForm):
    department = UnitChoiceField(label=_("Assisting department"), queryset=OrgUnit.objects.none(), empty_label="—")
    question = _text(_("What the department is asked to check or do"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = OrgUnit.objects.filter(is_active=True).order_by("path")


class AnswerAssistForm(InputForm):
    request = forms.IntegerField(widget=forms.HiddenInput)
    findings = _text(_("What the department found"))
    actions_taken = _text(_("What the department did"), required=False)


class PauseForm(VersionedForm):
    reason = TaxonomyChoiceField(label=_("Reason"), queryset=PauseReason.objects.none(), empty_label="—")
    note = _text(_("Note"), required=False, rows=2)
    notice_channel = forms.ChoiceField(label=_("Tell the customer by (where the reason requires it)"),
                                       choices=[("", "—"), *NoticeChannel.choices], required=False)
    notice_text = _text(_("Notice to the customer (where the reason requires it)"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = PauseReason.objects.filter(is_active=True)


class ExtensionForm(VersionedForm):
    reason = _text(_("Why the case needs more time"))
    notice_channel = forms.ChoiceField(label=_("Tell the customer in writing by"), choices=[
        choice for choice in NoticeChannel.choices if choice[0] != NoticeChannel.PHONE])
    notice_text = _text(_("Notice to the customer (the new limit and the reason)"))


class DecideExtensionForm(VersionedForm):
    request = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda value: value == "yes",
                                     choices=[("yes", _("Approve")), ("no", _("Refuse"))], widget=forms.RadioSelect)
    note = _text(_("Note (required when refusing)"), required=False, rows=2)


class ProposeForm(VersionedForm):
    finding = _text(_("Finding: what was checked and found"), rows=5)
    basis = _text(_("Basis and reasons for the decision (rules, contract terms)"), rows=3)
    remedies = forms.MultipleChoiceField(label=_("Remedy"), choices=Remedy.choices,
                                         widget=forms.CheckboxSelectMultiple)
    fee_refund_amount = forms.DecimalField(label=_("Fee refund (yuan)"), required=False, min_value=0,
                                           max_digits=14, decimal_places=2)
    compensation_amount = forms.DecimalField(label=_("Compensation (yuan)"), required=False, min_value=0,
                                             max_digits=14, decimal_places=2)
    closure_code = TaxonomyChoiceField(label=_("Conclusion"), queryset=ClosureCode.objects.none(), empty_label="—")

    def __init__(self, *args, open_assists=(), **kwargs):
        """`open_assists`: the departments asked to assist that have not answered; proposing before they do
        asks the proposer to confirm it (the warning stands above the form, the box at its end)."""
        super().__init__(*args, **kwargs)
        self.fields["closure_code"].queryset = ClosureCode.objects.filter(is_active=True)
        self.warning = ""
        if open_assists:
            self.warning = _("Not answered yet by the assisting departments: %(units)s. Their findings may "
                             "change the decision.") % {"units": "、".join(open_assists)}
            self.fields["confirm_open_assist"] = forms.BooleanField(
                label=_("Propose the decision before the assisting departments answer"),
                error_messages={"required": _("Confirm that the decision is proposed before the assisting "
                                              "departments answer, or wait for their answer.")})


class ApproveForm(VersionedForm):
    note = _text(_("Approver's note"), required=False, rows=2)


class ReturnForm(VersionedForm):
    note = _text(_("What needs rework"), rows=2)


class CommunicateForm(VersionedForm):
    channel = forms.ChoiceField(label=_("Tell the customer by"), choices=NoticeChannel.choices)
    text = _text(_("Notice to the customer"), rows=5)


class CallbackForm(VersionedForm):
    reached = forms.TypedChoiceField(label=_("Reached the customer?"), coerce=lambda value: value == "yes",
                                     choices=[("yes", _("Yes")), ("no", _("No, no answer"))],
                                     widget=forms.RadioSelect)
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), required=False,
                                     choices=[("", "—"), *Satisfaction.choices])
    reason = _text(_("Reason (required when not satisfied)"), required=False, rows=2)
    reopen_kind = forms.ChoiceField(label=_("When not satisfied, the customer asks for"), required=False,
                                    choices=[("", "—"), *ReopenKind.choices])


class ScreenForm(VersionedForm):
    outcome = forms.ChoiceField(label=_("Outcome of the screening"), choices=ScreeningOutcome.choices,
                                widget=forms.RadioSelect)
    reason = _text(_("Reason"), rows=2)
    reopen_kind = forms.ChoiceField(label=_("Reopen for"), required=False, choices=[("", "—"), *ReopenKind.choices])
    notice_channel = forms.ChoiceField(label=_("Tell the customer by"), required=False,
                                       choices=[("", "—"), *NoticeChannel.choices])
    notice_text = _text(_("Notice to the customer (left empty: the standard notice naming mediation and the "
                          "regulator)"), required=False, rows=4)


class CloseUnreachableForm(VersionedForm):
    note = _text(_("Note"), required=False, rows=2)


class ReopenForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Reopen for"), choices=ReopenKind.choices)
    reason = _text(_("Reason"), rows=2)


class EscalateForm(VersionedForm):
    reason = _text(_("Why escalate"), rows=2)
