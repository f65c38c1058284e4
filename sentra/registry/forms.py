import re

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from sentra.areas.models import Area
from sentra.lib.cache import cached
from sentra.lib.fields import localized_formfield
from sentra.registry.models import EDITABLE_FIELDS, FIELD_GROUPS, CloseReason, Ikm
from sentra.registry.scale import Scale
from sentra.registry.selectors import SORTS, IkmFilters
from sentra.sectors.messages import KBLI_NOT_FOUND
from sentra.sectors.models import Kbli, Subsector


def _reference_names() -> dict[str, list[tuple[str, str]]]:
    """The filters' choices from the reference tables, cached: every list page shows them,
    and they change only when the reference data are loaded again (within ttl())."""

    def build() -> dict[str, list[tuple[str, str]]]:
        return {
            "kecamatan": list(Area.objects.kecamatan().values_list("code", "name")),
            "desa": list(Area.objects.villages().order_by("name").values_list("code", "name")),
            "subsector": list(
                Subsector.objects.filter(scheme="bekraf_16").values_list("code", "name")
            ),
            "kbli_section": [
                (code, f"{code} – {title}")
                for code, title in Kbli.objects.filter(level="kategori").values_list(
                    "code", "title"
                )
            ],
        }

    return cached("filter-choices", build, version="reference")


def _kecamatan_choices():
    return [("", _("Semua kecamatan")), *_reference_names()["kecamatan"]]


def _desa_choices(kecamatan: str = ""):
    villages = _reference_names()["desa"]
    if kecamatan:
        villages = [(code, name) for code, name in villages if code.startswith(kecamatan + ".")]
    return [("", _("Semua desa/kelurahan")), *villages]


class IkmFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("nama usaha, pemilik, NIB, produk, alamat"), "type": "search"}
        ),
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    desa = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    subsector = forms.ChoiceField(label=_("Subsektor ekraf"), required=False)
    kbli_section = forms.ChoiceField(label=_("Kategori KBLI"), required=False)
    scale = forms.ChoiceField(
        label=_("Skala"), required=False, choices=[("", _("Semua skala")), *Scale.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Aktif")), ("closed", _("Tutup")), ("all", _("Semua"))],
    )
    perlu_dilengkapi = forms.BooleanField(
        label=_("Hanya yang perlu dilengkapi"),
        required=False,
        help_text=_("IKM yang isiannya dikosongkan saat impor karena nilainya tidak terpakai."),
    )
    # The choices are the whitelist of sort keys (headers link to them as well).
    sort = forms.ChoiceField(
        label=_("Urutkan"),
        required=False,
        choices=[
            ("name", _("Nama A–Z")),
            ("-name", _("Nama Z–A")),
            ("desa", _("Desa/kelurahan A–Z")),
            ("-desa", _("Desa/kelurahan Z–A")),
            ("-started", _("Mulai terbaru")),
            ("started", _("Mulai terlama")),
            ("-workers", _("Tenaga kerja terbanyak")),
            ("workers", _("Tenaga kerja tersedikit")),
            ("-investment", _("Investasi terbesar")),
            ("investment", _("Investasi terkecil")),
            ("-updated", _("Terakhir diubah")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sort_field = self.fields["sort"]
        assert isinstance(sort_field, forms.ChoiceField)
        if self.is_bound and self.data.get("sort") not in {k for k, _ in sort_field.choices}:
            # A sort key from an old link or a typed URL: the default order, other
            # filters kept (an invalid form would drop them all).
            self.data = self.data.copy()
            self.data["sort"] = ""
        self.fields["kecamatan"].choices = _kecamatan_choices()
        kecamatan = self.data.get("kecamatan", "") if self.is_bound else ""
        self.fields["desa"].choices = _desa_choices(kecamatan)
        names = _reference_names()
        self.fields["subsector"].choices = [
            ("", _("Semua subsektor")),
            ("none", _("Bukan ekraf")),
            *names["subsector"],
        ]
        self.fields["kbli_section"].choices = [("", _("Semua kategori")), *names["kbli_section"]]

    def clean(self):
        data = super().clean()
        desa = data.get("desa")
        # A desa left over from another kecamatan would silently empty the list.
        if desa and data.get("kecamatan") and not desa.startswith(data["kecamatan"] + "."):
            data["desa"] = ""
        return data

    def describe(self) -> str:
        """The filters in words for an export's title row ("Kecamatan: Denpasar Barat")."""
        if not self.is_valid():
            return ""
        parts = []
        for name, value in self.cleaned_data.items():
            if not value or name == "sort" or (name == "status" and value == "active"):
                continue
            field = self.fields[name]
            shown = dict(getattr(field, "choices", [])).get(value, value)
            parts.append(f"{field.label}: {shown}")
        return "; ".join(str(p) for p in parts)

    def to_filters(self) -> IkmFilters:
        if not self.is_valid():
            return IkmFilters()
        d = self.cleaned_data
        return IkmFilters(
            q=d["q"].strip(),
            kecamatan=d["kecamatan"],
            desa=d["desa"],
            subsector=d["subsector"],
            kbli_section=d["kbli_section"],
            scale=d["scale"],
            status=d["status"] or "active",
            sort=d["sort"] if d["sort"] in SORTS else "name",
            incomplete=bool(d.get("perlu_dilengkapi")),
        )


class KbliField(forms.ModelChoiceField):
    """A 5-digit KBLI code typed as text; leading zeros are kept."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Kbli.objects.filter(level="kelompok"),
            to_field_name="code",
            widget=forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "maxlength": 5,
                    "placeholder": "mis. 10794",
                    "autocomplete": "off",
                }
            ),
            error_messages={"invalid_choice": KBLI_NOT_FOUND},
            **kwargs,
        )

    def prepare_value(self, value):
        if isinstance(value, Kbli):
            return value.code
        return value


class DesaSelect(forms.Select):
    """Each desa option says its kecamatan (data-kecamatan) so the form can filter them."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-kecamatan"] = instance.parent_id
        return option


class IkmForm(forms.ModelForm):
    kbli = KbliField(label=_("KBLI (5 digit)"), required=False)
    # The version and values this form was loaded from (registry.versions): no lost update.
    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # Not stored: narrows the desa list (static/js/ikm-form.js); the desa decides.
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    required_css_class = "required"

    class Meta:
        model = Ikm
        fields = EDITABLE_FIELDS
        formfield_callback = localized_formfield
        widgets = {
            "owner_birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "first_recorded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "data_as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            # data-digits: static/js/ikm-form.js counts the digits as they are typed.
            "owner_nik": forms.TextInput(
                attrs={"inputmode": "numeric", "maxlength": 16, "data-digits": 16}
            ),
            "nib": forms.TextInput(
                attrs={"inputmode": "numeric", "maxlength": 13, "data-digits": 13}
            ),
            "owner_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "desa": DesaSelect,
        }

    def __init__(self, *args, editable_kecamatan: frozenset[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        desa = Area.objects.villages().select_related("parent").order_by("parent__name", "name")
        if editable_kecamatan is not None:
            desa = desa.filter(parent_id__in=editable_kecamatan)
        desa_field = self.fields["desa"]
        subsector_field = self.fields["subsector"]
        assert isinstance(desa_field, forms.ModelChoiceField)
        assert isinstance(subsector_field, forms.ModelChoiceField)
        desa_field.queryset = desa
        desa_field.label_from_instance = lambda obj: f"{obj.name} ({obj.parent.name})"  # type: ignore[method-assign]
        subsector_field.empty_label = _("— bukan ekonomi kreatif —")
        desa_field.empty_label = _("— pilih desa/kelurahan —")
        kecamatan = Area.objects.kecamatan().only("code", "name")
        if editable_kecamatan is not None:
            kecamatan = kecamatan.filter(code__in=editable_kecamatan)
        kecamatan_field = self.fields["kecamatan"]
        assert isinstance(kecamatan_field, forms.ChoiceField)
        kecamatan_field.choices = [("", _("— semua kecamatan —"))] + [
            (a.code, a.name) for a in kecamatan
        ]
        if self.instance.pk and self.instance.desa_id:
            kecamatan_field.initial = self.instance.desa.parent_id

    # The model's groups, with the kecamatan picker (not stored) just before the desa.
    groups = [
        (title, [n for name in names for n in (["kecamatan", name] if name == "desa" else [name])])
        for title, names in FIELD_GROUPS
    ]

    def grouped(self):
        return [(title, [self[name] for name in names]) for title, names in self.groups]


class IkmCloseForm(forms.Form):
    closed_on = forms.DateField(
        label=_("Tanggal tutup"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.ChoiceField(label=_("Alasan"), choices=CloseReason.choices)
    note = forms.CharField(label=_("Keterangan"), required=False, max_length=300)


class IkmIdsField(forms.Field):
    """IKM ids from the name search's checkboxes (one value each); a value may also hold
    several ids separated by commas or spaces, as older links and scripts send them."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value or ""]
        parts = [p for v in values for p in re.split(r"[\s,;]+", str(v)) if p]
        bad = [p for p in parts if not p.isdigit()]
        if bad:
            raise forms.ValidationError(_("Bukan ID IKM: %(bad)s") % {"bad": ", ".join(bad[:5])})
        return [int(p) for p in parts]

    def validate(self, value: list[int]) -> None:
        if self.required and not value:
            raise forms.ValidationError(_("Pilih paling sedikit satu IKM."))


class SuggestForm(forms.Form):
    """The query of the participant picker: the typed words and the ids already ticked
    (checkboxes named `field`, ikm_ids by default)."""

    ikm_q = forms.CharField(required=False, max_length=100)
    field = forms.RegexField(regex=r"^[a-z_]{1,30}$", required=False)

    def field_name(self) -> str:
        return (self.is_valid() and self.cleaned_data["field"]) or "ikm_ids"

    def values(self) -> tuple[str, list[int]]:
        q = self.cleaned_data["ikm_q"] if self.is_valid() else ""
        values = self.data.getlist(self.field_name()) if isinstance(self.data, QueryDict) else []
        chosen = [int(v) for v in values if str(v).isdigit()]
        return q, chosen
