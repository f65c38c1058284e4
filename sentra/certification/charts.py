"""The certification progress charts, built from the figures the page's tables show,
with the atlas's chart code (sentra.lib.charts): one spec, SVG in the PDF."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sentra.lib import charts


def _share(row: dict[str, Any]) -> float:
    return 100 * row["certified"] / row["target"] if row["target"] else 0.0


def progress_charts(figures: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Share of active IKM meeting the target per kecamatan and per subsector, and the
    IKM whose certificates expire per quarter (the expiry wave)."""
    by_kecamatan = figures["by_kecamatan"]
    by_subsector = figures["by_subsector"]
    wave = figures["wave"]
    return {
        "kecamatan": charts.bars_spec(
            title=_("IKM aktif yang memenuhi target per kecamatan (%)"),
            labels=[r["label"] for r in by_kecamatan],
            values=[_share(r) for r in by_kecamatan],
            unit="%",
        ),
        "subsector": charts.bars_spec(
            title=_("IKM aktif yang memenuhi target per subsektor ekraf (%)"),
            labels=[r["label"] for r in by_subsector],
            values=[_share(r) for r in by_subsector],
            unit="%",
        ),
        "wave": charts.bars_spec(
            title=_("IKM yang sertifikatnya habis berlaku per triwulan"),
            labels=[r["label"] for r in wave],
            values=[r["ikm"] for r in wave],
        ),
    }
