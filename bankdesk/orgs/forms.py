from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bankdesk.core.inputs import InputForm
from bankdesk.orgs.models import OrgUnit, Role, UnitKind


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is wrong. After repeated failures the account is locked."),
        "inactive": _("This account is disabled."),
    }


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{'　' * unit.depth}{unit.name} ({unit.code})"


class UnitFilterForm(InputForm):
    search = forms.CharField(label=_("Name or code"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *UnitKind.choices])
    sort = forms.CharField(required=False, widget=forms.HiddenInput)


class UnitForm(InputForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    parent = UnitChoiceField(label=_("Parent unit"), queryset=OrgUnit.objects.none())
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents if parents is not None else OrgUnit.objects.none()


class UserFilterForm(InputForm):
    search = forms.CharField(label=_("Name, user name, staff number or mobile"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", "—"), *Role.choices])
    sort = forms.CharField(required=False, widget=forms.HiddenInput)


class UserCreateForm(InputForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    display_name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    staff_number = forms.CharField(label=_("Staff number"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    mobile = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    home_unit = UnitChoiceField(label=_("Home unit"), queryset=OrgUnit.objects.none())
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput(render_value=True))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].queryset = units if units is not None else OrgUnit.objects.none()


class RoleAssignForm(InputForm):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices])
    unit = UnitChoiceField(label=_("At unit"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()


class TokenForm(InputForm):
    name = forms.CharField(label=_("Name (the system that will use it)"), max_length=100)
