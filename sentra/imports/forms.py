from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from sentra.imports.readers.base import EXTENSIONS, max_bytes
from sentra.imports.targets import target_choices
from sentra.registry.models import SourceKind

UPLOAD_KINDS = [(v, label) for v, label in SourceKind.choices if v not in ("manual", "demo")]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas"),
        help_text=_("Excel (.xlsx, .xls), OpenDocument (.ods) atau CSV; paling besar 100 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(EXTENSIONS))}),
    )
    kind = forms.ChoiceField(label=_("Sumber data"), choices=UPLOAD_KINDS, initial="survei")
    data_as_of = forms.DateField(
        label=_("Data per tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Dipakai bila berkas tidak punya kolom tanggal data. IKM yang sudah ada hanya "
            "diperbarui bila data berkas lebih baru."
        ),
    )
    sheet_name = forms.CharField(
        label=_("Lembar"),
        required=False,
        max_length=100,
        help_text=_("Kosongkan untuk membaca lembar pertama yang terlihat."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in EXTENSIONS:
            raise forms.ValidationError(
                _("Jenis berkas %(ext)s tidak didukung. Gunakan .xlsx, .xls, .ods, atau .csv.")
                % {"ext": suffix or _("(tanpa akhiran)")}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("Berkas kosong (0 byte)."))
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size)d MB); batasnya %(limit)d MB.")
                % {"size": upload.size // 1024 // 1024, "limit": max_bytes() // 1024 // 1024}
            )
        return upload


class MappingForm(forms.Form):
    """One choice per column of the file, plus an optional name to save it as a profile."""

    profile_name = forms.CharField(
        label=_("Simpan sebagai profil (opsional)"),
        required=False,
        max_length=100,
        help_text=_("Berkas lain dengan kolom yang sama akan otomatis memakai pemetaan ini."),
    )

    def __init__(self, *args, header: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.header = header
        choices = target_choices()
        for index, name in enumerate(header):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=name, choices=choices, initial=initial_mapping.get(name), required=True
            )

    def column_fields(self):
        return [self[f"col_{i}"] for i in range(len(self.header))]

    def clean(self):
        data = super().clean()
        chosen = {data.get(f"col_{i}") for i in range(len(self.header))}
        missing = [
            label
            for key, label in (("name", _("Nama usaha")), ("_desa", _("Desa/kelurahan")))
            if key not in chosen
        ]
        if missing:
            raise forms.ValidationError(
                _("Kolom wajib belum dipetakan: %(cols)s.") % {"cols": ", ".join(map(str, missing))}
            )
        return data

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"col_{i}"] for i, name in enumerate(self.header)}
