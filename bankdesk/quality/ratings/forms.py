from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.core.inputs import InputForm
from bankdesk.orgs.models import OrgUnit
from bankdesk.quality.awards.forms import month_field
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.ratings.services import PERIOD_MONTHS
from bankdesk.quality.web import ScopedForm, UnitChoiceField

MONTHS_LABELS = {1: _("One month"), 3: _("A quarter"), 6: _("Half a year"), 12: _("A year")}


class ComputeForm(ScopedForm):
    permission = P.RATE
    outlets_only = False
    unit = UnitChoiceField(label=_("Rate the outlets under"), queryset=OrgUnit.objects.none())
    period_start = month_field(_("First month of the period"))
    months = forms.TypedChoiceField(label=_("Period"), coerce=int,
                                    choices=[(months, MONTHS_LABELS[months]) for months in PERIOD_MONTHS])


class RankingForm(InputForm):
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(f"{start:%Y-%m-%d}_{end:%Y-%m-%d}", f"{start:%Y-%m} – {end:%Y-%m}")
                                         for start, end in periods]
