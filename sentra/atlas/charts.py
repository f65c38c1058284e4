"""The atlas pages' charts, built from the figures their tables show (sentra.lib.charts)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sentra.atlas import selectors
from sentra.atlas.growth import TARGET_HIGH, TARGET_LOW
from sentra.lib import charts


def growth_chart(series, *, rows=None) -> dict:
    rows = rows if rows is not None else series.rows
    projection = series.projection.rows if series.projection else None
    return charts.growth_spec(
        title=_("IKM aktif per tahun, proyeksi dan target"),
        rows=rows,
        projection_rows=projection,
        target_low=TARGET_LOW,
        target_high=TARGET_HIGH,
    )


def dashboard_charts(figures: dict) -> dict:
    by_kecamatan = figures.get("by_kecamatan") or []
    names = [r["kecamatan__name"] for r in by_kecamatan]
    totals = figures.get("totals") or {}
    n = totals.get("n") or 0
    cert = figures.get("certification") or {}
    coverage = [
        (_("IKM aktif pernah dibina"), 100 * (totals.get("coached") or 0) / n if n else 0),
        (_("IKM bersertifikat"), 100 * float(cert.get("share") or 0)),
    ]
    return {
        "kecamatan": charts.bars_spec(
            title=_("IKM aktif per kecamatan"),
            labels=names,
            values=[r["n"] or 0 for r in by_kecamatan],
        ),
        "workers": charts.bars_spec(
            title=_("Tenaga kerja per kecamatan"),
            labels=names,
            values=[r["workers"] or 0 for r in by_kecamatan],
        ),
        "coverage": charts.bars_spec(
            title=_("Cakupan pembinaan dan sertifikasi (% IKM aktif)"),
            labels=[label for label, _v in coverage],
            values=[v for _label, v in coverage],
            unit="%",
        ),
    }


def profile_charts(profile) -> dict:
    level = "kecamatan" if profile.level == "kecamatan" else "desa"
    geometries = selectors.area_geometries(level=level)["features"]
    if level == "desa":  # the desa among its kecamatan's neighbours
        parent = profile.area.parent_id
        geometries = [f for f in geometries if f["properties"]["code"].startswith(parent + ".")]
    lq = [r for r in profile.lq if r["n"]]
    growth = charts.growth_spec(
        title=_("IKM aktif per tahun dan target"),
        rows=profile.growth_rows,
        projection_rows=None,
        target_low=TARGET_LOW,
        target_high=TARGET_HIGH,
    )
    return {
        "map": charts.area_map_svg(
            features=geometries,
            highlight=profile.area.code,
            title=_("Letak %(area)s") % {"area": profile.area.name},
        ),
        "growth": growth,
        "scale": charts.bars_spec(
            title=_("IKM aktif menurut skala usaha"),
            labels=[str(label).capitalize() for _c, label, _n, _city in profile.by_scale],
            values=[n for _c, _l, n, _city in profile.by_scale],
        ),
        "subsector": charts.bars_spec(
            title=_("IKM aktif per subsektor ekraf"),
            labels=[r["name"] for r in lq],
            values=[r["n"] for r in lq],
        ),
    }
