from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from sentra.areas.models import Area
from sentra.exhibitions.models import (
    BoothType,
    Exhibition,
    InstitutionKind,
    Outcome,
    Student,
    StudentRoleKind,
)
from sentra.lib.identity import IdentityError, validate_nib
from sentra.registry.models import Ikm, Sex
from sentra.sectors.models import Subsector

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExhibitionForm(forms.ModelForm):
    class Meta:
        model = Exhibition
        fields = [
            "name",
            "organiser",
            "organiser_name",
            "start_date",
            "end_date",
            "venue",
            "theme",
            "subsectors",
            "applications_open",
            "applications_close",
            "max_per_kecamatan",
            "max_per_subsector",
            "other_costs",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "applications_open": DATE,
            "applications_close": DATE,
            "subsectors": forms.CheckboxSelectMultiple,
        }


class BoothForm(forms.ModelForm):
    class Meta:
        model = BoothType
        fields = ["code", "name", "count", "size_m2", "power_watt", "water", "fee", "subsidy"]

    def has_changed(self) -> bool:
        # The spare rows carry model defaults (code "A", 0 watt): a row counts as filled
        # in only when it has a name, so blank spare rows are skipped, not refused.
        return bool((self.data.get(self.add_prefix("name")) or "").strip())


BoothFormSet = formset_factory(BoothForm, extra=3, min_num=1, validate_min=True)


class ApplicationForm(forms.Form):
    """An officer enters an application for an IKM already in the registry."""

    ikm = forms.ModelChoiceField(
        Ikm.objects.active(), label=_("IKM (nomor ID)"), widget=forms.NumberInput
    )
    booth_type = forms.ModelChoiceField(BoothType.objects.none(), label=_("jenis stan"))
    products = forms.CharField(label=_("produk yang dipamerkan"), max_length=300)
    contact_name = forms.CharField(label=_("nama kontak"), max_length=150)
    contact_phone = forms.CharField(label=_("nomor HP kontak"), max_length=20, required=False)
    contact_email = forms.EmailField(label=_("e-mail kontak"), required=False)

    def __init__(self, *args, exhibition: Exhibition, **kwargs):
        super().__init__(*args, **kwargs)
        booth_type = self.fields["booth_type"]
        assert isinstance(booth_type, forms.ModelChoiceField)
        booth_type.queryset = exhibition.booths.all()


class SignupForm(forms.Form):
    """The public, phone-friendly form: an IKM applies for a booth without an account."""

    business_name = forms.CharField(label=_("Nama usaha"), max_length=200)
    owner_name = forms.CharField(label=_("Nama pemilik"), max_length=150)
    owner_sex = forms.ChoiceField(
        label=_("Jenis kelamin pemilik"), choices=[("", "—"), *Sex.choices], required=False
    )
    phone = forms.CharField(
        label=_("Nomor HP/WhatsApp"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    desa = forms.ModelChoiceField(
        Area.objects.filter(level="desa_kelurahan").order_by("name"),
        label=_("Desa/kelurahan tempat usaha"),
        to_field_name="code",
    )
    address = forms.CharField(label=_("Alamat usaha"), max_length=300, required=False)
    products = forms.CharField(label=_("Produk yang akan dipamerkan"), max_length=300)
    subsector = forms.ModelChoiceField(
        Subsector.objects.filter(scheme="bekraf_16"),
        label=_("Subsektor ekonomi kreatif"),
        required=False,
    )
    nib = forms.CharField(label=_("NIB (bila ada)"), max_length=20, required=False)
    pirt_number = forms.CharField(label=_("Nomor PIRT (bila ada)"), max_length=30, required=False)
    halal_number = forms.CharField(
        label=_("Nomor sertifikat halal (bila ada)"), max_length=40, required=False
    )
    booth_type = forms.ModelChoiceField(BoothType.objects.none(), label=_("Jenis stan"))
    consent = forms.BooleanField(
        label=_(
            "Saya setuju data di atas diproses oleh dinas untuk seleksi dan pembinaan pameran "
            "sesuai UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi."
        ),
        error_messages={"required": _("Persetujuan diperlukan untuk mendaftar.")},
    )

    def __init__(self, *args, exhibition: Exhibition, **kwargs):
        super().__init__(*args, **kwargs)
        booth_type = self.fields["booth_type"]
        assert isinstance(booth_type, forms.ModelChoiceField)
        booth_type.queryset = exhibition.booths.all()
        booth_type.label_from_instance = lambda b: (  # type: ignore[method-assign,assignment]
            _("%(name)s, %(size)s m², biaya Rp %(fee)s")
            % {"name": b.name, "size": b.size_m2, "fee": f"{b.fee - b.subsidy:,}".replace(",", ".")}
        )

    def clean_phone(self) -> str:
        """+62 812-3700-1122, 62812…, 0812 3700 1122 all become 081237001122."""
        raw = self.cleaned_data["phone"]
        digits = "".join(ch for ch in raw if ch.isdigit())
        if digits.startswith("62"):
            digits = "0" + digits[2:]
        if set(raw) - set("0123456789+-. ()") or not (
            digits.startswith("08") and 10 <= len(digits) <= 13
        ):
            raise forms.ValidationError(_("Nomor HP tidak dikenali, contoh 0812 3456 7890."))
        return digits

    def clean_nib(self) -> str:
        value = self.cleaned_data["nib"].strip()
        if not value:
            return ""
        try:
            return validate_nib(value)
        except IdentityError as exc:
            raise forms.ValidationError(str(exc)) from exc


class OverrideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("keputusan"),
        choices=[("in", _("Pilih")), ("out", _("Jangan pilih")), ("", _("Serahkan ke aturan"))],
        required=False,
    )
    note = forms.CharField(label=_("catatan"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") and not (data.get("note") or "").strip():
            self.add_error("note", _("Keputusan petugas perlu catatan."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("alasan batal"), max_length=300)


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = [
            "sales",
            "buyer_contacts",
            "orders_after",
            "branding",
            "rating",
            "photo_url",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class StudentForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_("Mahasiswa/siswa menyetujui penyimpanan kontak dan tanggal lahirnya (UU PDP)"),
        required=False,
    )

    class Meta:
        model = Student
        fields = [
            "institution",
            "name",
            "programme",
            "entry_year",
            "birth_date",
            "nik",
            "phone",
            "email",
        ]
        widgets = {"birth_date": DATE}

    def clean(self):
        data = super().clean()
        personal = any(data.get(k) for k in ("birth_date", "nik", "phone", "email"))
        if personal and not data.get("consent"):
            raise forms.ValidationError(
                _("Kontak dan data pribadi hanya boleh disimpan dengan persetujuan (UU PDP).")
            )
        return data

    def _post_clean(self):
        # consent_at is set by the service from the checkbox; the model's own consent
        # check runs there, with the timestamp in place.
        pass


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_("nama lembaga"), max_length=200)
    kind = forms.ChoiceField(label=_("jenis"), choices=InstitutionKind.choices)
    city = forms.CharField(label=_("kota"), max_length=100, initial="Denpasar")


class StudentRoleForm(forms.Form):
    exhibition = forms.ModelChoiceField(Exhibition.objects.all(), label=_("pameran"))
    role = forms.ChoiceField(label=_("peran"), choices=StudentRoleKind.choices)
    hours = forms.DecimalField(label=_("jam"), min_value=0, max_digits=5, decimal_places=1)


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Kode verifikasi"), max_length=12)
