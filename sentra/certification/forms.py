from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.accounts.permissions import can_manage_candidate, rule_text
from sentra.areas.models import Area
from sentra.certification.models import BatchStatus, Role, Scheme
from sentra.certification.selectors import PlannerParams
from sentra.registry.forms import IkmIdsField
from sentra.registry.models import Ikm
from sentra.sectors.models import Subsector


def _next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


class PlannerForm(forms.Form):
    start = forms.DateField(
        label=_("Mulai dari"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    deadline = forms.DateField(
        label=_("Tanggal target (opsional)"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Kosongkan untuk mencari tanggal paling awal."),
    )
    days_per_trip = forms.IntegerField(
        label=_("Hari per perjalanan"), min_value=1, max_value=5, initial=3
    )
    trip_cost = forms.IntegerField(
        label=_("Biaya per perjalanan dari Surabaya (Rp)"), min_value=0, initial=6_000_000
    )
    local_trip_cost = forms.IntegerField(
        label=_("Biaya per kunjungan asesor lokal (Rp)"), min_value=0, initial=1_000_000
    )
    group_level = forms.ChoiceField(
        label=_("Kelompokkan peserta per"),
        choices=[
            ("kecamatan", _("Kecamatan (desa bertetangga)")),
            ("desa", _("Desa/kelurahan")),
            ("kota", _("Tanpa pengelompokan")),
        ],
        initial="kecamatan",
    )
    priority_kecamatan = forms.ChoiceField(label=_("Dahulukan kecamatan"), required=False)
    priority_subsector = forms.ChoiceField(label=_("Dahulukan subsektor"), required=False)
    time_limit = forms.IntegerField(
        label=_("Batas waktu solver (detik)"),
        min_value=2,
        max_value=120,
        initial=10,
        help_text=_("Separuh untuk rencana utama, sisanya untuk empat skenario."),
    )
    whatif_local_assessors = forms.IntegerField(
        label=_("Skenario: asesor lokal tambahan"), min_value=1, max_value=10, initial=1
    )
    whatif_days_per_trip = forms.IntegerField(
        label=_("Skenario: hari per perjalanan"), min_value=1, max_value=5, initial=5
    )
    whatif_tuk_capacity = forms.IntegerField(
        label=_("Skenario: kapasitas TUK (kursi)"),
        min_value=0,
        max_value=500,
        initial=0,
        help_text=_("0 = dua kali kapasitas sekarang."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].initial = _next_monday()
        self.fields["priority_kecamatan"].choices = [("", _("— tidak ada —"))] + [
            (a.code, a.name) for a in Area.objects.kecamatan()
        ]
        self.fields["priority_subsector"].choices = [("", _("— tidak ada —"))] + [
            (s.code, s.name) for s in Subsector.objects.filter(scheme="bekraf_16")
        ]

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start < timezone.localdate():
            raise forms.ValidationError(_("Tanggal mulai tidak boleh di masa lalu."))
        return start

    def clean(self):
        data = super().clean()
        if data.get("deadline") and data.get("start") and data["deadline"] <= data["start"]:
            self.add_error("deadline", _("Tanggal target harus sesudah tanggal mulai."))
        return data

    def to_params(self) -> PlannerParams:
        d = self.cleaned_data
        return PlannerParams(
            start=d["start"],
            deadline=d.get("deadline"),
            days_per_trip=d["days_per_trip"],
            trip_cost=d["trip_cost"],
            local_trip_cost=d["local_trip_cost"],
            group_level=d["group_level"],
            priority_kecamatan=d.get("priority_kecamatan") or "",
            priority_subsector=d.get("priority_subsector") or "",
            time_limit=float(d["time_limit"]),
            whatif_local_assessors=d["whatif_local_assessors"],
            whatif_days_per_trip=d["whatif_days_per_trip"],
            whatif_tuk_capacity=d["whatif_tuk_capacity"],
        )


class AcceptForm(forms.Form):
    until = forms.DateField(
        label=_("Terima perjalanan yang berangkat sampai"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Kosongkan untuk menerima seluruh rencana."),
    )


class BatchFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua"))] + list(BatchStatus.choices)
    )


class CandidateForm(forms.Form):
    """A new asesi: the IKM picked by name (registry:ikm_suggest, one checkbox named
    `ikm`), the scheme, the person and their readiness."""

    ikm = IkmIdsField(label=_("IKM"))
    scheme = forms.ModelChoiceField(
        label=_("Skema"), queryset=Scheme.objects.filter(active=True), empty_label=None
    )
    name = forms.CharField(label=_("Nama asesi"), max_length=150)
    role = forms.ChoiceField(label=_("Peran di IKM"), choices=Role.choices)
    coaching_finished_on = forms.DateField(
        label=_("Selesai pembinaan"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    documents_complete = forms.BooleanField(label=_("Dokumen lengkap"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_ikm(self) -> Ikm:
        ids = self.cleaned_data["ikm"]
        if len(set(ids)) != 1:
            raise forms.ValidationError(_("Pilih tepat satu IKM."))
        ikm = Ikm.objects.filter(pk=ids[0]).first()
        if ikm is None:
            raise forms.ValidationError(_("IKM tidak ditemukan."))
        if self.user is not None and not can_manage_candidate(self.user, ikm.kecamatan_id):
            raise forms.ValidationError(rule_text("candidate"))
        return ikm
