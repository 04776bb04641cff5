from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.core.inputs import InputForm
from bankdesk.orgs.models import OrgUnit, User
from bankdesk.quality.permissions import QualityPermission as P
from bankdesk.quality.web import ScopedForm, StaffChoiceField, UnitChoiceField

MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


def month_field(label=_("Month")) -> forms.DateField:
    return forms.DateField(label=label, widget=MONTH_INPUT, input_formats=MONTH_FORMATS,
                           help_text=_("As 2025-09"))


def score_field(label) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=0, max_value=100, max_digits=5, decimal_places=2)


class OpenRoundForm(ScopedForm):
    permission = P.AWARD
    unit = UnitChoiceField(label=_("Outlet"), queryset=OrgUnit.objects.none())
    month = month_field()


class StarScoreForm(InputForm):
    staff = StaffChoiceField(label=_("Staff member"), queryset=User.objects.none())
    team_score = score_field(_("Team's score"))
    operations_score = score_field(_("Operations manager's score"))
    lobby_score = score_field(_("Lobby manager's score"))
    customer_score = score_field(_("Customers' score (average of the month's forms)"))
    customer_forms = forms.IntegerField(label=_("Customer forms"), min_value=0, max_value=100000, initial=0)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.filter(
            is_active=True, home_unit__path__startswith=unit.path).select_related("home_unit").order_by("username")
