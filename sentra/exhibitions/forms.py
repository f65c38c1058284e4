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
    validate_photo,
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
        help_texts = {
            "max_per_kecamatan": _(
                "Paling banyak peserta dari satu kecamatan yang tidak diberi kuota sendiri "
                "di bawah; kosong: tanpa batas."
            ),
            "max_per_subsector": _(
                "Paling banyak peserta dari satu subsektor yang tidak diberi kuota sendiri "
                "di bawah; kosong: tanpa batas."
            ),
        }
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


class ExhibitionEditForm(ExhibitionForm):
    # The version and values this form was loaded from (registry.versions): no lost update.
    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def _post_clean(self):
        # The service re-reads the row under a lock and validates it there; checking here
        # against this form's copy would raise the model's errors twice.
        pass


class BoothEditForm(BoothForm):
    """A booth row of the edit form: an existing booth carries its id."""

    booth_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    delete = forms.BooleanField(label=_("hapus"), required=False)

    def has_changed(self) -> bool:
        return bool(self.data.get(self.add_prefix("booth_id"))) or super().has_changed()

    def _post_clean(self):
        # Validated by the service on the locked exhibition's own booth rows.
        pass


BoothEditFormSet = formset_factory(BoothEditForm, extra=2, min_num=1, validate_min=True)


def booth_initial(exhibition: Exhibition) -> list[dict]:
    return [
        {
            "booth_id": b.pk,
            **{name: getattr(b, name) for name in BoothForm.Meta.fields},
        }
        for b in exhibition.booths.all()
    ]


def booth_rows(formset) -> list[dict]:
    """The formset's filled rows as the services take them (id, delete, fields)."""
    rows = []
    for form in formset:
        data = form.cleaned_data
        if not data:
            continue
        row = {k: data[k] for k in BoothForm.Meta.fields if k in data}
        if "booth_id" in data:
            row["id"] = data["booth_id"]
            row["delete"] = data.get("delete", False)
        rows.append(row)
    return rows


class QuotaForm(forms.Form):
    """One named quota: a kecamatan (or subsector) and its most participants."""

    code = forms.ChoiceField(label=_("nama"), required=False)
    limit = forms.IntegerField(label=_("paling banyak peserta"), min_value=0, required=False)

    def __init__(self, *args, dim: str, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        assert isinstance(code, forms.ChoiceField)
        if dim == "kecamatan":
            code.label = _("Kecamatan")
            options = list(Area.objects.kecamatan().order_by("name").values_list("code", "name"))
        else:
            code.label = _("Subsektor")
            options = list(
                Subsector.objects.filter(scheme="bekraf_16")
                .order_by("name")
                .values_list("code", "name")
            )
        code.choices = [("", "—"), *options]

    def clean(self):
        data = super().clean()
        if data.get("code") and data.get("limit") is None:
            self.add_error("limit", _("Isi jumlah paling banyak untuk kuota ini."))
        if data.get("limit") is not None and not data.get("code"):
            self.add_error("code", _("Pilih nama untuk kuota ini."))
        return data


class BaseQuotaFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            code = form.cleaned_data.get("code")
            if code and code in seen:
                raise forms.ValidationError(_("Satu nama hanya boleh punya satu kuota."))
            if code:
                seen.add(code)

    def quotas(self) -> dict[str, int]:
        return {
            f.cleaned_data["code"]: f.cleaned_data["limit"]
            for f in self.forms
            if f.cleaned_data.get("code")
        }


QuotaFormSet = formset_factory(QuotaForm, formset=BaseQuotaFormSet, extra=2)


def quota_formsets(data=None, *, exhibition: Exhibition | None = None) -> dict:
    """The two named-quota tables of the exhibition form (kecamatan, subsector)."""
    out = {}
    for dim, field in (("kecamatan", "kecamatan_quotas"), ("subsector", "subsector_quotas")):
        quotas = getattr(exhibition, field) if exhibition else {}
        out[dim] = QuotaFormSet(
            data,
            prefix=f"quota_{dim}",
            form_kwargs={"dim": dim},
            initial=[{"code": c, "limit": n} for c, n in (quotas or {}).items()] or None,
        )
    return out


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


PHOTOS_PER_UPLOAD = 10


class PhotosField(forms.FileField):
    """Several photos in one input, each checked as `validate_photo` does."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > PHOTOS_PER_UPLOAD:
            raise forms.ValidationError(
                _("Paling banyak %(n)s foto sekali unggah.") % {"n": PHOTOS_PER_UPLOAD}
            )
        cleaned = [super(PhotosField, self).clean(f, initial) for f in files]
        errors = []
        for f in cleaned:
            try:
                validate_photo(f)
            except forms.ValidationError as exc:
                errors += [
                    _("%(name)s: %(error)s") % {"name": f.name, "error": m} for m in exc.messages
                ]
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class OutcomeForm(forms.ModelForm):
    photos = PhotosField(
        label=_("Unggah foto"),
        required=False,
        help_text=_(
            "JPEG, PNG atau WebP, paling besar 5 MB per foto, paling banyak 10 sekali unggah."
        ),
    )

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
