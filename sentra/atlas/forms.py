"""Filters of the atlas pages, read from the query string."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from sentra.areas.models import Area, Level
from sentra.atlas.growth import DEFAULT_FIT_YEARS, GrowthFilters
from sentra.registry.scale import Scale
from sentra.sectors.models import Subsector


def default_projection_year() -> int:
    return timezone.localdate().year + 5


class GrowthFilterForm(forms.Form):
    """The growth page's filters. A value that names no area, subsector or scale, or a
    year out of range, falls back to "all" / the default, as a link from an old page or
    a hand-edited address should still show a page."""

    kecamatan = forms.CharField(required=False)
    desa = forms.CharField(required=False)
    subsector = forms.CharField(required=False)
    scale = forms.CharField(required=False)
    n = forms.CharField(required=False)  # years the trend line is fitted on
    proyeksi = forms.CharField(required=False)  # the year projected to

    def _area(self, name: str) -> str:
        code: str = self.cleaned_data.get(name) or ""
        levels = [Level.DISTRICT, Level.VILLAGE]
        return code if Area.objects.filter(code=code, level__in=levels).exists() else ""

    def clean_kecamatan(self) -> str:
        return self._area("kecamatan")

    def clean_desa(self) -> str:
        return self._area("desa")

    def clean_subsector(self) -> str:
        code: str = self.cleaned_data.get("subsector") or ""
        known = code == "none" or Subsector.objects.filter(code=code).exists()
        return code if code and known else ""

    def clean_scale(self) -> str:
        value: str = self.cleaned_data.get("scale") or ""
        return value if value in Scale.values else ""

    def clean_n(self) -> int:
        value: str = self.cleaned_data.get("n") or ""
        return int(value) if value.isdigit() and 3 <= int(value) <= 15 else DEFAULT_FIT_YEARS

    def clean_proyeksi(self) -> int:
        value: str = self.cleaned_data.get("proyeksi") or ""
        ok = value.isdigit() and 2000 < int(value) <= 2100
        return int(value) if ok else default_projection_year()

    def values(self) -> dict[str, Any]:
        """{filters, fit_years, project_to}: always valid (bad values fall back)."""
        self.is_valid()  # every field is optional and cleans to a fallback
        data = self.cleaned_data
        return {
            "filters": GrowthFilters(
                kecamatan=data["kecamatan"],
                desa=data["desa"],
                subsector=data["subsector"],
                scale=data["scale"],
            ),
            "fit_years": data["n"],
            "project_to": data["proyeksi"],
        }
