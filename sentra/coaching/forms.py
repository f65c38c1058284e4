from django import forms
from django.utils.translation import gettext_lazy as _

from sentra.coaching.models import Activity, Category, Programme
from sentra.registry.forms import IkmIdsField
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
    """Participants chosen by name: the search box asks registry:ikm_suggest (htmx) for
    IKM by name, owner or NIB and lists them as checkboxes named ikm_ids; without
    JavaScript the "Cari" button reloads the page with the same list."""

    ikm_ids = IkmIdsField(label=_("IKM peserta"))


class AttendanceUploadForm(forms.Form):
    """A daftar hadir as the clerk saved it: Excel, LibreOffice or CSV."""

    file = forms.FileField(
        label=_("Berkas daftar hadir"),
        help_text=_(
            "xlsx, xls, ods atau csv dengan kolom Nama (peserta); Nama Usaha, No. HP dan "
            "Alamat/Desa membantu pencocokan. Baris judul dan blok tanda tangan boleh ada."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".xls", ".ods", ".csv")):
            raise forms.ValidationError(
                _("Berkas harus xlsx, xls, ods atau csv, bukan %(name)s.") % {"name": upload.name}
            )
        return upload
