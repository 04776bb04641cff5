from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bankdesk.callcenter.models import Team
from bankdesk.complaints.web.forms import LocalDateTimeInput
from bankdesk.core.forms import DATE_INPUT
from bankdesk.core.inputs import InputForm
from bankdesk.orgs.forms import UnitChoiceField
from bankdesk.orgs.models import OrgUnit
from bankdesk.scorecards.evaluations import NO, NOT_APPLICABLE, YES, Answer, item_field
from bankdesk.scorecards.models import AnswerType, EvaluationStatus, ScorecardKind, ScorecardVersion

POINTS_INPUT = {"max_digits": 7, "decimal_places": 2}
RESULT_CHOICES = [("", "—"), ("passed", pgettext_lazy("qa result", "Passed")),
                  ("failed", pgettext_lazy("qa result", "Failed"))]


class ScorecardForm(InputForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Purpose"), choices=ScorecardKind.choices)
    unit = UnitChoiceField(label=_("Applies to (and below)"), queryset=OrgUnit.objects.none())
    pass_mark = forms.DecimalField(label=_("Pass mark (out of 100)"), required=False, **POINTS_INPUT)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()


class ScorecardEditForm(InputForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("In use"), required=False)


class DraftForm(InputForm):
    pass_mark = forms.DecimalField(label=_("Pass mark (out of 100)"), required=False, **POINTS_INPUT)
    change_note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class SectionForm(InputForm):
    title = forms.CharField(label=_("Section"), max_length=200)
    weight = forms.DecimalField(label=_("Weight"), **POINTS_INPUT)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, required=False)


class ItemForm(InputForm):
    code = forms.CharField(label=_("Item number"), max_length=20, required=False)
    text = forms.CharField(label=_("Item"), max_length=300)
    answer_type = forms.ChoiceField(label=_("Answer"), choices=AnswerType.choices)
    max_points = forms.DecimalField(label=_("Points"), **POINTS_INPUT)
    is_fatal = forms.BooleanField(label=_("Fatal: failing it zeroes the evaluation"), required=False)
    na_allowed = forms.BooleanField(label=_("May be not applicable"), required=False)
    guidance = forms.CharField(label=_("How to score it"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, required=False)


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, version):
        return f"{version.scorecard.get_kind_display()} · {version.scorecard.name} v{version.number}"


class SubjectForm(InputForm):
    """What is evaluated: the staff member and call, or the complaint, or the unit."""

    staff = forms.CharField(label=_("Staff member (user name or staff number)"), max_length=150, required=False)
    call_id = forms.CharField(label=_("Call ID"), max_length=64, required=False)
    recording_ref = forms.CharField(label=_("Recording"), max_length=200, required=False)
    complaint = forms.CharField(label=_("Complaint tracking number"), max_length=24, required=False)
    unit = UnitChoiceField(label=_("Unit evaluated"), queryset=OrgUnit.objects.none(), required=False,
                           help_text=_("Needed only when neither a staff member nor a complaint is named"))
    occurred_at = forms.DateTimeField(label=_("Took place at"), required=False, widget=LocalDateTimeInput())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()


class EvaluationStartForm(SubjectForm):
    version = VersionChoiceField(label=_("Scorecard"), queryset=ScorecardVersion.objects.none())
    field_order = ["version"]

    def __init__(self, *args, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions if versions is not None else ScorecardVersion.objects.none()


class CalibrationForm(EvaluationStartForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    field_order = ["title", "version"]


class EvaluationFilterForm(InputForm):
    kind = forms.ChoiceField(label=_("Purpose"), required=False, choices=[("", "—"), *ScorecardKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *EvaluationStatus.choices])
    staff = forms.CharField(label=_("Staff member"), max_length=150, required=False)
    call_id = forms.CharField(label=_("Call ID"), max_length=64, required=False)
    result = forms.ChoiceField(label=_("Result"), required=False, choices=RESULT_CHOICES)
    fatal_only = forms.BooleanField(label=_("Fatal item failed"), required=False)
    mine = forms.BooleanField(label=_("Scored by me"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)


class VoidForm(InputForm):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=300)


class TrendForm(InputForm):
    staff = forms.CharField(label=_("Staff member"), max_length=150, required=False)
    unit = UnitChoiceField(label=_("Unit (and below)"), queryset=OrgUnit.objects.none(), required=False,
                           empty_label="—")
    team = forms.ModelChoiceField(label=_("Call-center team"), queryset=Team.objects.none(), required=False, empty_label="—")
    kind = forms.ChoiceField(label=_("Purpose"), required=False, choices=[("", "—"), *ScorecardKind.choices])
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=60, required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units=None, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()


def answer_fields(item, score) -> dict:
    """The form fields of one item: its answer, and its comment."""
    name = item_field(item.pk)
    if item.answer_type == AnswerType.YES_NO:
        choices = [(YES, _("Yes")), (NO, _("No"))] + ([(NOT_APPLICABLE, _("N/A"))] if item.na_allowed else [])
        answer = forms.ChoiceField(label=item.text, choices=choices, required=False, widget=forms.RadioSelect)
        initial = None if score is None else NOT_APPLICABLE if score.is_na else YES if score.points else NO
    else:
        answer = forms.CharField(label=item.text, required=False, max_length=12,
                                 help_text=gettext("0 to %(max)s points") % {"max": item.max_points}
                                 + (gettext(", or “na” for not applicable") if item.na_allowed else ""))
        initial = None if score is None else NOT_APPLICABLE if score.is_na else score.points
    answer.initial = initial
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500,
                              initial=score.comment if score else "",
                              widget=forms.TextInput(attrs={"placeholder": gettext("Comment"), "class": "comment"}))
    return {name: answer, f"{name}_comment": comment}


class ScoringForm(InputForm):
    """One answer field per item of the version (named item_<id>), each with a comment, and the overall comment."""

    comment = forms.CharField(label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        for section in sheet:
            for line in section.lines:
                self.fields.update(answer_fields(line.item, line.score))

    def answers(self, item_ids) -> list[Answer]:
        """The answers of the items answered."""
        data = self.cleaned_data
        return [Answer(item_id, str(data[item_field(item_id)]), data.get(f"{item_field(item_id)}_comment", ""))
                for item_id in item_ids if data.get(item_field(item_id)) not in (None, "")]


class BriefingForm(InputForm):
    """Which team's briefing, of which day (the previous working day unless another is chosen)."""

    team = forms.ModelChoiceField(label=_("Call-center team"), queryset=Team.objects.none(), required=False,
                                  empty_label=None)
    day = forms.DateField(label=_("Day"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
