from django import forms
from django.utils.translation import gettext_lazy as _

from sentra.audit.selectors import AuditFilters, audit_actions, audit_models


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Oleh (nama pengguna)"), required=False, max_length=150)
    model = forms.ChoiceField(label=_("Jenis data"), required=False)
    action = forms.ChoiceField(label=_("Tindakan"), required=False)
    object_id = forms.CharField(label=_("ID data"), required=False, max_length=40)
    since = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Semua"))]
        self.fields["model"].choices = everything + [(m, m) for m in audit_models()]
        self.fields["action"].choices = everything + [(a, a) for a in audit_actions()]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("Tanggal akhir sebelum tanggal awal."))
        return data

    def to_filters(self) -> AuditFilters:
        if not self.is_bound or not self.is_valid():
            return AuditFilters()
        return AuditFilters(**{k: v for k, v in self.cleaned_data.items() if v not in ("", None)})
