from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sentra.areas.models import Area
from sentra.linkage.models import CandidatePair, PairStatus
from sentra.linkage.selectors import PairFilters
from sentra.registry import versions


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


class PairMergeForm(forms.Form):
    """The merge form of a pair: which record stays (A or B) and, per differing field,
    whose value to keep. The page speaks of records A and B; the service of "kept" and
    "merged"."""

    keep = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    # The versions the choices were made on (registry.versions): no merge over a newer edit.
    token_a = forms.CharField(required=False)
    token_b = forms.CharField(required=False)

    def __init__(self, *args: Any, fields: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.merge_fields = fields
        for attname in fields:
            self.fields[f"f_{attname}"] = forms.ChoiceField(
                choices=[("a", "A"), ("b", "B")], required=False
            )

    def merge_arguments(self, pair: CandidatePair) -> dict[str, Any]:
        """{keep_id, choices} for services.pair_merge; an unknown side counts as unset
        (record A stays; the service's defaults fill the fields not chosen)."""
        self.is_valid()  # a bad side drops only that field (cleaned_data keeps the rest)
        data = self.cleaned_data
        keep = data.get("keep") or "a"
        choices = {}
        for attname in self.merge_fields:
            side = data.get(f"f_{attname}")
            if side in ("a", "b"):
                choices[attname] = "kept" if side == keep else "merged"
        return {
            "keep_id": pair.ikm_a_id if keep == "a" else pair.ikm_b_id,
            "choices": choices,
            # A missing or forged token counts as stale.
            "versions": {pk: b.version if b else -1 for pk, b in self.bases(pair).items()},
        }

    def bases(self, pair: CandidatePair) -> dict[int, versions.EditBase | None]:
        """IKM id -> the version and values the page showed, from the signed tokens."""
        self.is_valid()
        return {
            pk: versions.read_token(self.cleaned_data.get(f"token_{side}") or "", pk=pk)
            for side, pk in (("a", pair.ikm_a_id), ("b", pair.ikm_b_id))
        }
