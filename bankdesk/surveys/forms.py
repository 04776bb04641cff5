from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from bankdesk.core import rules
from bankdesk.core.forms import limit_upload
from bankdesk.core.inputs import InputForm
from bankdesk.core.permissions import scope_q
from bankdesk.orgs.models import OrgUnit
from bankdesk.surveys import complaint_calls
from bankdesk.surveys.models import (
    CampaignKind,
    CampaignStatus,
    Outcome,
    QuestionKind,
    Questionnaire,
    TargetSource,
)
from bankdesk.surveys.permissions import SurveyPermission
from bankdesk.surveys.services import QuestionInput

ANY = [("", "—")]


class CampaignFilterForm(InputForm):
    status = forms.ChoiceField(label=_("Status"), choices=ANY + CampaignStatus.choices, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ANY + CampaignKind.choices, required=False)
    text = forms.CharField(label=_("Name"), max_length=100, required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)


def _managed_units(user):
    return OrgUnit.objects.active().filter(scope_q(user, SurveyPermission.MANAGE_SURVEYS, "path")).order_by("path")


class CampaignForm(InputForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    source = forms.ChoiceField(label=_("Drawn from"), choices=TargetSource.choices)
    unit = forms.ModelChoiceField(label=_("Owning unit"), queryset=OrgUnit.objects.none(),
                                  help_text=_("Its staff see the campaign and make its calls."))
    questionnaire = forms.ModelChoiceField(label=_("Questionnaire"), required=False,
                                           queryset=Questionnaire.objects.filter(is_active=True),
                                           help_text=_("A complaint callback asks the complaint's own satisfaction "
                                                       "question; a questionnaire is optional there."))
    source_unit = forms.ModelChoiceField(label=_("Complaints of unit"), queryset=OrgUnit.objects.none(),
                                         required=False)
    period_start = forms.DateField(label=_("Closed from"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Closed to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _managed_units(user)
        self.fields["source_unit"].queryset = _managed_units(user)


KIND_WORDS = {"评分": QuestionKind.SCALE, "是否": QuestionKind.YES_NO, "单选": QuestionKind.CHOICE,
              "文字": QuestionKind.TEXT, **{kind.value: kind.value for kind in QuestionKind}}
OPTIONAL_WORDS = {"可选", "optional"}


def parse_questions(text: str) -> list[QuestionInput]:
    """One question a line: kind | question [| answers separated by /] [| 可选]."""
    questions = []
    for line in filter(None, (line.strip() for line in text.splitlines())):
        parts = [part.strip() for part in line.replace("｜", "|").split("|")]
        optional = parts[-1] in OPTIONAL_WORDS
        parts = parts[:-1] if optional else parts
        kind = KIND_WORDS.get(parts[0], parts[0])
        choices = parts[2].replace("／", "/").split("/") if len(parts) > 2 else []
        questions.append(QuestionInput(kind, parts[1] if len(parts) > 1 else "", choices, not optional))
    return questions


def questions_text(version) -> str:
    words = {kind: word for word, kind in KIND_WORDS.items() if word not in QuestionKind.values}
    lines = []
    for question in version.questions.all():
        parts = [words[question.kind], question.text]
        if question.choices:
            parts.append("/".join(question.choices))
        if not question.required:
            parts.append("可选")
        lines.append(" | ".join(parts))
    return "\n".join(lines)


class QuestionnaireForm(InputForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    introduction = forms.CharField(label=_("What the interviewer says first"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    questions = forms.CharField(
        label=_("Questions"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One question a line: kind | question | answers separated by / (only for 单选) | 可选 for an "
                    "optional question. Kinds: 评分 (1–5), 是否, 单选, 文字. Example: 单选 | 您最希望改进哪一方面？ | "
                    "效率/态度/环境"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StatusForm(InputForm):
    status = forms.ChoiceField(choices=CampaignStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ListUploadForm(InputForm):
    file = forms.FileField(label=_("Call list (CSV or XLSX)"),
                           help_text=_("Columns: 姓名, 电话 (required), 编号, 最佳联系时间."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_upload(self.fields["file"], rules.get("surveys.list_max_megabytes"))


class TargetFilterForm(InputForm):
    state = forms.ChoiceField(label=_("State"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from bankdesk.surveys.models import TargetState

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = ANY + TargetState.choices


class CallForm(InputForm):
    """How the call went, the questionnaire's answers when completed, and for a complaint callback the
    complaint's own satisfaction question."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    callback_at = forms.DateTimeField(label=_("Call back at"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    best_time = forms.CharField(label=_("Best time to call"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_names = []
        version = target.campaign.questionnaire_version
        for question in (version.questions.all() if version else []):
            name = f"q{question.pk}"
            self.fields[name] = _question_field(question)
            self.question_names.append(name)
        self.is_callback = target.campaign.kind == CampaignKind.COMPLAINT_CALLBACK
        if self.is_callback:
            self.fields["satisfaction"] = forms.ChoiceField(
                label=_("How satisfied is the customer?"), required=False,
                choices=ANY + list(complaint_calls.SATISFACTION_CHOICES))
            self.fields["reason"] = forms.CharField(label=_("Why not satisfied"), required=False, max_length=2000)
            self.fields["reopen_kind"] = forms.ChoiceField(label=_("Then"), required=False,
                                                           choices=ANY + list(complaint_calls.REOPEN_CHOICES))

    def answers(self) -> dict:
        return {int(name[1:]): self.cleaned_data.get(name) or "" for name in self.question_names}


def _question_field(question) -> forms.Field:
    """The field asking one question; required or not is checked by the service, for a completed call only."""
    if question.kind == QuestionKind.SCALE:
        return forms.ChoiceField(label=question.text, required=False, widget=forms.RadioSelect,
                                 choices=[(str(n), str(n)) for n in range(1, 6)])
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(label=question.text, required=False, widget=forms.RadioSelect,
                                 choices=[("yes", _gettext("Yes")), ("no", _gettext("No"))])
    if question.kind == QuestionKind.CHOICE:
        return forms.ChoiceField(label=question.text, required=False, widget=forms.RadioSelect,
                                 choices=[(choice, choice) for choice in question.choices])
    return forms.CharField(label=question.text, required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ResultFilterForm(InputForm):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    grain = forms.ChoiceField(label=_("By"), choices=[("day", _("day")), ("week", _("week")), ("month", _("month"))])
    campaign = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The period ends before it starts."))
        return data

    @classmethod
    def initial_values(cls) -> dict:
        today = timezone.localdate()
        return {"start": today - timedelta(days=29), "end": today, "grain": "day"}

