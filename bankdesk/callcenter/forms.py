"""Forms of the call-center pages: they parse input; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bankdesk.core.inputs import InputForm


class UploadForm(InputForm):
    file = forms.FileField(label=_("File (CSV or Excel .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
