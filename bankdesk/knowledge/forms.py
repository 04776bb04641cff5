from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bankdesk.core.inputs import InputForm
from bankdesk.knowledge.models import ArticleCategory, CaseLibrary
from bankdesk.knowledge.search.query import RANKED_KINDS

KIND_CHOICES = [("", _("Everything")), ("case", _("Cases")), ("article", _("Articles")),
                ("complaint", pgettext_lazy("search kind", "Complaints"))]


class SearchForm(InputForm):
    q = forms.CharField(label=_("Words"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, required=False)
    group = forms.ChoiceField(label=_("Role group"), required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "—"), *[(code, f"{code} {name}") for code, name in groups]]
        self.fields["kind"].choices = [*KIND_CHOICES, *[(kind, ranked.label) for kind, ranked in RANKED_KINDS.items()]]


class CaseFilterForm(InputForm):
    library = forms.ChoiceField(label=_("Library"), choices=[("", "—"), *CaseLibrary.choices], required=False)
    role_group = forms.ChoiceField(label=_("Role group"), required=False)
    text = forms.CharField(label=_("ID or title"), required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role_group"].choices = [("", "—"), *[(code, f"{code} {name}") for code, name in groups]]


class ArticleFilterForm(InputForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=ArticleCategory.objects.all(), required=False)
    text = forms.CharField(label=_("Title"), required=False)
    review_due = forms.BooleanField(label=_("Review due"), required=False)


class ArticleForm(InputForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=ArticleCategory.objects.all())
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    review_date = forms.DateField(label=_("Review by"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Published"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PhraseForm(InputForm):
    text = forms.CharField(label=_("Phrase"), max_length=200)
    match_terms = forms.CharField(label=_("Words to look for (one per line)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("Active"), required=False)


class LanguageCheckForm(InputForm):
    text = forms.CharField(label=_("Text for the customer"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
