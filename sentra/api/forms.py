from django import forms
from django.utils.translation import gettext_lazy as _

from sentra.api.models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"), max_length=100, help_text=_("mis. skrip laporan bulanan")
    )
    scopes = forms.MultipleChoiceField(
        label=_("Cakupan"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.READ],
    )
    days = forms.IntegerField(label=_("Berlaku (hari)"), min_value=1, max_value=366, initial=90)
