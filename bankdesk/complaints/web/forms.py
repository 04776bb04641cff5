"""Forms of the complaint pages besides the steps (those are in step_forms): registration, the list and work
filters, the public form and the progress look-up. They parse input; the rules live in the services."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bankdesk.complaints.intake.registration_input import RegistrationInput, Representative
from bankdesk.complaints.models import (
    BusinessCategory,
    Cause,
    Channel,
    ChannelKind,
    DeadlineState,
    IdType,
    Severity,
    Status,
)
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core import rules
from bankdesk.core.forms import limit_upload
from bankdesk.core.inputs import InputForm
from bankdesk.core.permissions import has_permission, roles
from bankdesk.orgs.forms import UnitChoiceField
from bankdesk.orgs.models import OrgUnit, Role, UnitKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
PHONE_ATTRS = {"inputmode": "tel", "autocomplete": "off"}

# The caller look-up is a POST (the phone stays out of URLs); it sends only these two of the form's fields.
LOOKUP_PARAMS = "phone,business_category"


def taxonomy_label(entry) -> str:
    """The entry's English name when the page is in English and one is set, else its (Chinese) name."""
    if entry.name_en and (get_language() or "").startswith("en"):
        return entry.name_en
    return entry.name


class TaxonomyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, entry):
        return taxonomy_label(entry)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return f"{'　' * unit.depth}{unit.name} ({unit.code})"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class CategoryField(forms.ChoiceField):
    """Business categories as a grouped select: one <optgroup> per parent, its sub-categories inside.

    Cleans to the BusinessCategory itself. With `parents_selectable` (filters) a parent can be chosen too,
    meaning the parent and all its sub-categories.
    """

    def __init__(self, *, parents_selectable: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.parents_selectable = parents_selectable
        self.by_id: dict[str, BusinessCategory] = {}

    def load(self) -> None:
        entries = list(BusinessCategory.objects.filter(is_active=True).order_by("sort_order", "code"))
        self.by_id = {str(entry.pk): entry for entry in entries}
        children: dict[int, list[BusinessCategory]] = {}
        for entry in entries:
            if entry.parent_id:
                children.setdefault(entry.parent_id, []).append(entry)
        choices: list = [("", "—")]
        for parent in (entry for entry in entries if entry.parent_id is None):
            kids = children.get(parent.pk, [])
            if not kids:
                choices.append((str(parent.pk), taxonomy_label(parent)))
                continue
            group = [(str(kid.pk), taxonomy_label(kid)) for kid in kids]
            if self.parents_selectable:
                group.insert(0, (str(parent.pk), _("%(name)s (all)") % {"name": taxonomy_label(parent)}))
            choices.append((taxonomy_label(parent), group))
        self.choices = choices

    def clean(self, value):
        value = super().clean(value)
        return self.by_id.get(str(value)) if value else None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input taking several files; cleans to a list of UploadedFile."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def limit_attachments(field: forms.FileField) -> None:
    """The attachment limits (rule settings), told in the help text and to the browser; the service checks them."""
    field.help_text = _("Up to %(count)d files of %(size)d MB each: PDF, pictures, Office documents, text, e-mail, "
                        "recordings.") % {"count": rules.get("complaint.attachment_max_count"),
                                          "size": rules.get("complaint.attachment_max_megabytes")}
    limit_upload(field, rules.get("complaint.attachment_max_megabytes"), rules.get("complaint.attachment_max_count"))


def _default_channel(user, channels):
    """Outlet staff mostly register walk-in complaints, everyone else calls on the hotline."""
    wanted = "outlet" if roles(user) & {Role.TELLER, Role.LOBBY_MANAGER} else "hotline"
    return next((channel for channel in channels if channel.code == wanted), None)


class RegistrationForm(InputForm):
    """投诉登记表, in the order a call goes: who calls, what about, their own words, the rest."""

    phone = forms.CharField(label=_("Phone"), max_length=30)
    complainant_name = forms.CharField(label=_("Complainant's name"), max_length=100)
    channel = TaxonomyChoiceField(label=_("Channel"), queryset=Channel.objects.none(), empty_label="—")
    received_at = forms.DateTimeField(label=_("Received at"), required=False, widget=LocalDateTimeInput())
    business_category = CategoryField(label=_("Business category"))
    cause = TaxonomyChoiceField(label=_("Cause"), queryset=Cause.objects.none(), empty_label="—")
    unit = UnitChoiceField(label=_("Outlet or department concerned"), queryset=OrgUnit.objects.none(),
                           empty_label="—")
    staff_concerned_name = forms.CharField(label=_("Staff concerned (as the customer names them)"), max_length=100,
                                           required=False)
    description = forms.CharField(label=_("The customer's own words"), max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    demand = forms.CharField(label=_("What the customer asks for"), max_length=5000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    amount_involved = forms.DecimalField(label=_("Amount involved (yuan)"), max_digits=14, decimal_places=2,
                                         required=False)
    id_type = forms.ChoiceField(label=_("ID type"), required=False, choices=[("", "—"), *IdType.choices])
    id_number = forms.CharField(label=_("ID number"), max_length=40, required=False)
    account_number = forms.CharField(label=_("Account or card number"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_group = forms.BooleanField(label=_("Group complaint"), required=False)
    group_size = forms.IntegerField(label=_("People in the group"), required=False, min_value=0)
    external_reference = forms.CharField(label=_("Regulator's reference"), max_length=64, required=False)
    external_deadline = forms.DateTimeField(label=_("Regulator's deadline"), required=False,
                                            widget=LocalDateTimeInput())
    incident_at = forms.DateTimeField(label=_("When it happened"), required=False, widget=LocalDateTimeInput())
    incident_place = forms.CharField(label=_("Where it happened"), max_length=200, required=False)
    postal_address = forms.CharField(label=_("Postal address"), max_length=300, required=False,
                                     help_text=_("Needed to answer the customer by letter."))
    resolved_on_the_spot = forms.BooleanField(label=_("Resolved on the spot (当场办结)"), required=False,
                                              help_text=_("A simple complaint answered at once; the customer is "
                                                          "still called back."))
    on_the_spot_answer = forms.CharField(label=_("What the customer was told or what was done"), max_length=5000,
                                         required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    PERSON_FIELDS = ["phone", "complainant_name", "id_type", "id_number", "account_number", "email", "postal_address"]
    COMPLAINT_FIELDS = ["channel", "received_at", "business_category", "cause", "unit", "staff_concerned_name",
                        "amount_involved", "incident_at", "incident_place"]
    WORDS_FIELDS = ["description", "demand"]
    TRANSFER_FIELDS = ["external_reference", "external_deadline"]
    ON_THE_SPOT_FIELDS = ["resolved_on_the_spot", "on_the_spot_answer"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_transfer = has_permission(user, ComplaintPermission.REVIEW_COMPLAINTS)
        kinds = [ChannelKind.STAFF, ChannelKind.EMAIL, ChannelKind.MEDIA]
        if self.may_transfer:
            kinds.append(ChannelKind.REGULATOR)
        else:
            for name in self.TRANSFER_FIELDS:
                del self.fields[name]
        channels = Channel.objects.filter(is_active=True, kind__in=kinds)
        self.fields["channel"].queryset = channels
        self.fields["cause"].queryset = Cause.objects.filter(is_active=True)
        self.fields["unit"].queryset = OrgUnit.objects.filter(is_active=True).order_by("path")
        self.fields["business_category"].load()
        if not self.is_bound:
            self.fields["channel"].initial = _default_channel(user, list(channels))
            self.fields["received_at"].initial = timezone.localtime().strftime(DATETIME_FORMAT)
            if roles(user) & {Role.TELLER, Role.LOBBY_MANAGER} and user.home_unit_id:
                self.fields["unit"].initial = user.home_unit_id

        lookup = reverse("complaints:lookup")
        self.fields["phone"].widget.attrs.update({
            **PHONE_ATTRS, "autofocus": True, "hx-post": lookup, "hx-target": "#history",
            "hx-trigger": "change, keyup changed delay:600ms", "hx-include": "#id_business_category",
            "hx-params": LOOKUP_PARAMS,
        })
        self.fields["business_category"].widget.attrs.update({
            "hx-post": lookup, "hx-target": "#history", "hx-trigger": "change", "hx-include": "#id_phone",
            "hx-params": LOOKUP_PARAMS,
        })
        self.fields["description"].widget.attrs["placeholder"] = _("Write down what the customer says, in their words.")
        limit_attachments(self.fields["attachments"])

        self.representative_count = rules.get("complaint.group_max_representatives")
        for number in range(1, self.representative_count + 1):
            self.fields[f"representative_{number}_name"] = forms.CharField(
                label=_("Representative %(number)d: name") % {"number": number}, max_length=100, required=False)
            self.fields[f"representative_{number}_phone"] = forms.CharField(
                label=_("Representative %(number)d: phone") % {"number": number}, max_length=30, required=False,
                widget=forms.TextInput(attrs=PHONE_ATTRS))

    def section(self, names):
        return [self[name] for name in names if name in self.fields]

    def person_fields(self):
        return self.section(self.PERSON_FIELDS)

    def complaint_fields(self):
        return self.section(self.COMPLAINT_FIELDS)

    def words_fields(self):
        return self.section(self.WORDS_FIELDS)

    def group_fields(self):
        return self.section(["is_group", "group_size"])

    def representative_rows(self):
        return [(self[f"representative_{n}_name"], self[f"representative_{n}_phone"])
                for n in range(1, self.representative_count + 1)]

    def transfer_fields(self):
        return self.section(self.TRANSFER_FIELDS)

    def on_the_spot_fields(self):
        return self.section(self.ON_THE_SPOT_FIELDS)

    def on_the_spot_open(self) -> bool:
        return bool(self.is_bound and (self.data.get("resolved_on_the_spot") or any(
            self[name].errors for name in self.ON_THE_SPOT_FIELDS)))

    def group_open(self) -> bool:
        return bool(self.is_bound and (self.data.get("is_group") or any(
            self[name].errors for name in self.fields if name.startswith(("representative_", "group_", "is_group")))))

    def transfer_open(self) -> bool:
        return bool(self.is_bound and any(self.data.get(name) or self[name].errors
                                          for name in self.TRANSFER_FIELDS if name in self.fields))

    def representatives(self) -> list[Representative]:
        rows = []
        for number in range(1, self.representative_count + 1):
            name = self.cleaned_data.get(f"representative_{number}_name", "")
            phone = self.cleaned_data.get(f"representative_{number}_phone", "")
            if name or phone:
                rows.append(Representative(name=name, phone=phone))
        return rows

    def first_unnamed_representative(self) -> str:
        for number in range(1, self.representative_count + 1):
            if self.cleaned_data.get(f"representative_{number}_phone") and \
                    not self.cleaned_data.get(f"representative_{number}_name", "").strip():
                return f"representative_{number}_name"
        return "representative_1_name"

    def registration_input(self) -> RegistrationInput:
        data = self.cleaned_data
        is_group = data["is_group"]
        return RegistrationInput(
            complainant_name=data["complainant_name"], phone=data["phone"], channel=data["channel"],
            unit=data["unit"], business_category=data["business_category"], cause=data["cause"],
            description=data["description"], received_at=data.get("received_at"), demand=data.get("demand", ""),
            id_type=data.get("id_type", ""), id_number=data.get("id_number", ""),
            account_number=data.get("account_number", ""), email=data.get("email", ""),
            staff_concerned_name=data.get("staff_concerned_name", ""), amount_involved=data.get("amount_involved"),
            is_group=is_group, group_size=data.get("group_size") if is_group else None,
            representatives=self.representatives() if is_group else [],
            external_reference=data.get("external_reference", ""), external_deadline=data.get("external_deadline"),
            incident_at=data.get("incident_at"), incident_place=data.get("incident_place", ""),
            postal_address=data.get("postal_address", ""), resolved_on_the_spot=data.get("resolved_on_the_spot", False),
            on_the_spot_answer=data.get("on_the_spot_answer", ""),
        )


class ComplaintFilterForm(InputForm):
    search = forms.CharField(label=_("Tracking number, reference or phone"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    channel = TaxonomyChoiceField(label=_("Channel"), required=False, queryset=Channel.objects.none(),
                                  empty_label="—")
    business_category = CategoryField(label=_("Business category"), required=False, parents_selectable=True)
    severity = forms.TypedChoiceField(label=_("Severity"), required=False, coerce=int, empty_value=None,
                                      choices=[("", "—"), *Severity.choices])
    unit = UnitChoiceField(label=_("Unit concerned (or below)"), required=False, queryset=OrgUnit.objects.none(),
                           empty_label="—")
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DATE_INPUT)
    received_to = forms.DateField(label=_("Received to"), required=False, widget=DATE_INPUT)
    overdue = forms.BooleanField(label=_("Acceptance review overdue"), required=False)
    deadline_state = forms.TypedChoiceField(label=_("Deadline"), required=False, coerce=int, empty_value=None,
                                            choices=[("", "—"), *DeadlineState.choices])
    archived = forms.TypedChoiceField(label=_("Archive"), required=False, coerce=lambda value: value == "yes",
                                      empty_value=None,
                                      choices=[("", "—"), ("yes", _("Archived")), ("no", _("Not archived"))])
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, statuses=None, **kwargs):
        super().__init__(*args, **kwargs)
        if statuses:  # the intake queue: open complaints, none archived
            del self.fields["archived"]
        statuses = statuses or list(Status)
        self.fields["status"].choices = [("", "—"), *((status.value, status.label) for status in statuses)]
        self.fields["channel"].queryset = Channel.objects.all()
        self.fields["unit"].queryset = OrgUnit.objects.filter(is_active=True).order_by("path")
        self.fields["business_category"].load()

    def filter_values(self) -> dict:
        """The cleaned values as selectors.ComplaintFilter takes them (ids, not objects)."""
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        for name in ("channel", "business_category", "unit"):
            data[name] = data[name].pk if data.get(name) else None
        data["sort"] = data.get("sort") or ""
        return data


class WorkFilterForm(InputForm):
    state = forms.TypedChoiceField(label=_("Deadline"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("All")), *DeadlineState.choices])
    status = forms.ChoiceField(label=_("Status"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *[(s, Status(s).label) for s in statuses]]


class PublicComplaintForm(InputForm):
    """The customer's own form: few questions, nothing the bank already holds."""

    complainant_name = forms.CharField(label=_("Your name"), max_length=100)
    phone = forms.CharField(label=_("Your phone number"), max_length=30, widget=forms.TextInput(attrs=PHONE_ATTRS),
                            help_text=_("We use it to contact you; you need it to follow your complaint."))
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    unit = forms.ChoiceField(label=_("Outlet concerned"))
    business_category = CategoryField(label=_("What is it about?"))
    description = forms.CharField(label=_("What happened?"), max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 7}))
    demand = forms.CharField(label=_("What would you like us to do?"), max_length=5000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    incident_at = forms.DateTimeField(label=_("When did it happen? (optional)"), required=False,
                                      widget=LocalDateTimeInput())
    incident_place = forms.CharField(label=_("Where did it happen? (optional)"), max_length=200, required=False)
    postal_address = forms.CharField(label=_("Postal address (optional)"), max_length=300, required=False,
                                     help_text=_("Give it if you would like our answer by letter."))
    attachments = MultipleFileField(label=_("Documents or pictures (optional)"), required=False)
    # A field people never see; bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_category"].load()
        outlets = OrgUnit.objects.filter(is_active=True, kind=UnitKind.OUTLET).select_related("parent").order_by("path")
        root = OrgUnit.objects.filter(is_active=True, parent__isnull=True).order_by("path").first()
        self.units = {str(unit.pk): unit for unit in outlets}
        groups: dict[str, list] = {}
        for unit in outlets:
            groups.setdefault(unit.parent.name if unit.parent_id else "", []).append((str(unit.pk), unit.name))
        choices: list = [("", "—")]
        if root is not None:
            self.units[str(root.pk)] = root
            choices.append((str(root.pk), _("Not about a particular outlet")))
        choices += [(label, options) for label, options in groups.items()]
        self.fields["unit"].choices = choices
        limit_attachments(self.fields["attachments"])

    def clean_unit(self):
        return self.units.get(self.cleaned_data["unit"])

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "website"]


class TrackingForm(InputForm):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=24,
                                      widget=forms.TextInput(attrs={"placeholder": "TS-20260101-000001",
                                                                    "autocomplete": "off"}))
    phone = forms.CharField(label=_("The phone number you gave"), max_length=30,
                            widget=forms.TextInput(attrs=PHONE_ATTRS))


class ReviewRequestForm(InputForm):
    reason = forms.CharField(label=_("What do you disagree with?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))
