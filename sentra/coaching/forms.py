import re

from django import forms
from django.utils.translation import gettext_lazy as _

from sentra.coaching.models import Activity, Category, Programme
from sentra.sectors.models import Subsector


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["code", "name", "subsector", "partial", "description", "is_active", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subsector"].queryset = Subsector.objects.filter(scheme="bekraf_16")


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["category", "year", "name", "organiser", "budget", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "title", "date", "end_date", "place", "facilitator", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class ParticipantsForm(forms.Form):
    ikm_ids = forms.CharField(
        label=_("ID IKM peserta"),
        help_text=_("ID Sentra IKM (lihat halaman IKM), pisahkan dengan koma atau spasi."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_ikm_ids(self) -> list[int]:
        parts = [p for p in re.split(r"[\s,;]+", self.cleaned_data["ikm_ids"]) if p]
        bad = [p for p in parts if not p.isdigit()]
        if bad:
            raise forms.ValidationError(_("Bukan ID IKM: %(bad)s") % {"bad": ", ".join(bad[:5])})
        if not parts:
            raise forms.ValidationError(_("Isi paling sedikit satu ID IKM."))
        return [int(p) for p in parts]
