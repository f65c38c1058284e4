from django import forms
from django.utils.translation import gettext_lazy as _

from sentra.areas.models import Area
from sentra.linkage.models import PairStatus
from sentra.linkage.selectors import PairFilters


class PairFilterForm(forms.Form):
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=PairStatus.choices, initial=PairStatus.PENDING
    )
    band = forms.ChoiceField(
        label=_("Kelompok"),
        required=False,
        choices=[
            ("likely", _("Kemungkinan besar duplikat")),
            ("possible", _("Mungkin duplikat (periksa alasannya)")),
            ("all", _("Semua")),
        ],
        initial="likely",
    )
    order = forms.ChoiceField(
        label=_("Urutkan"),
        required=False,
        choices=[
            ("-score", _("Skor tertinggi dulu")),
            ("score", _("Skor terendah dulu")),
            ("-found", _("Terbaru ditemukan")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan"))] + [
            (a.code, a.name) for a in Area.objects.kecamatan().order_by("code")
        ]

    def to_filters(self) -> PairFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return PairFilters(
            kecamatan=data.get("kecamatan") or "",
            status=data.get("status") or PairStatus.PENDING,
            order=data.get("order") or "-score",
            band={"all": ""}.get(data.get("band") or "likely", data.get("band") or "likely"),
        )
