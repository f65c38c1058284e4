"""Chart specifications and their server-side SVG.

A chart is a plain dict (a "spec") built from numbers the page already shows in a table.
The page draws it with the vendored Chart.js (static/js/charts.js); the PDF and a page
without JavaScript get the same spec as SVG from `svg()`, so WeasyPrint prints it.
Every value is also written as a text label, and lines differ by dash and marker, so a
chart reads without colour. Pure: no models, no requests.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from django.utils.translation import gettext as _

from sentra.lib import formats

WIDTH, HEIGHT = 640, 280
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 64, 16, 28, 40
INK, MUTED, TARGET, INTERVAL = "#1f2d3d", "#6b7785", "#2e7d32", "#90a4ae"


def growth_spec(
    *,
    title: str,
    rows: list[Any],
    projection_rows: list[tuple[int, float, float, float]] | None,
    target_low: float,
    target_high: float,
) -> dict[str, Any]:
    """Active stock per year, its projection with the 95 % interval, and the target band.

    rows: YearRow-like (year, stock, complete). The band starts at the last complete
    year's stock and grows by target_low … target_high (fractions) per year.
    """
    complete = [r for r in rows if r.complete]
    years = [r.year for r in rows]
    stock = [r.stock for r in rows]
    out: dict[str, Any] = {
        "type": "growth",
        "title": title,
        "years": years,
        "stock": stock,
        "labels": {
            "stock": _("Stok IKM aktif akhir tahun"),
            "projection": _("Proyeksi"),
            "interval": _("Selang prediksi 95 %"),
            "target": _("Target %(lo)s–%(hi)s %%/tahun")
            % {
                "lo": formats.number(100 * target_low),
                "hi": formats.number(100 * target_high),
            },
        },
        "projection": None,
        "target": None,
    }
    if projection_rows:
        out["projection"] = {
            "years": [p[0] for p in projection_rows],
            "point": [round(p[1]) for p in projection_rows],
            "low": [round(p[2]) for p in projection_rows],
            "high": [round(p[3]) for p in projection_rows],
        }
    if complete:
        base = complete[-1]
        last = projection_rows[-1][0] if projection_rows else years[-1]
        span = list(range(base.year, max(last, base.year + 1) + 1))
        out["target"] = {
            "years": span,
            "low": [round(base.stock * (1 + target_low) ** (y - base.year)) for y in span],
            "high": [round(base.stock * (1 + target_high) ** (y - base.year)) for y in span],
        }
    return out


def bars_spec(
    *, title: str, labels: list[str], values: list[float], unit: str = ""
) -> dict[str, Any]:
    """Horizontal bars, one per label, each with its value written beside it."""
    return {
        "type": "bars",
        "title": title,
        "labels": [str(label) for label in labels],
        "values": [float(v or 0) for v in values],
        "unit": unit,
    }


def _fmt(value: float, unit: str = "") -> str:
    if unit == "%":
        return formats.percent(value)
    if unit == "Rp":
        return formats.rupiah_short(value)
    return formats.number(value)


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = 11, fill: str = INK
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}">{escape(text)}</text>'
    )


def _svg_open(height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" '
        'font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{escape(title)}</title>",
    ]


def _growth_svg(spec: dict[str, Any]) -> str:
    years = list(spec["years"])
    proj, target = spec["projection"], spec["target"]
    all_years = sorted(
        set(years) | set(proj["years"] if proj else []) | set(target["years"] if target else [])
    )
    values = [v for v in spec["stock"] if v is not None]
    if proj:
        values += proj["high"] + proj["low"]
    if target:
        values += target["high"]
    if not all_years or not values:
        return ""
    y_max = max(values) * 1.05 or 1
    x0, x1 = PAD_LEFT, WIDTH - PAD_RIGHT
    y0, y1 = HEIGHT - PAD_BOTTOM, PAD_TOP
    span = max(all_years[-1] - all_years[0], 1)

    def x(year: float) -> float:
        return float(x0 + (x1 - x0) * (year - all_years[0]) / span)

    def y(v: float) -> float:
        return y0 - (y0 - y1) * v / y_max

    parts = _svg_open(HEIGHT, spec["title"])
    for i in range(5):  # grid lines with their values
        v = y_max * i / 4
        parts.append(
            f'<line x1="{x0}" x2="{x1}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e7eb"/>'
        )
        parts.append(_text(x0 - 6, y(v) + 4, formats.number(v), anchor="end", size=10, fill=MUTED))
    step = max(1, round(len(all_years) / 10))
    for year in all_years[::step]:
        parts.append(_text(x(year), y0 + 16, str(year), anchor="middle", size=10, fill=MUTED))

    def band(
        xs: list[int], lows: list[float], highs: list[float], fill: str, opacity: float
    ) -> str:
        top = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in zip(xs, highs, strict=True))
        bottom = " ".join(
            f"{x(a):.1f},{y(b):.1f}" for a, b in reversed(list(zip(xs, lows, strict=True)))
        )
        return f'<polygon points="{top} {bottom}" fill="{fill}" fill-opacity="{opacity}"/>'

    if target:
        parts.append(band(target["years"], target["low"], target["high"], TARGET, 0.18))
    if proj:
        parts.append(band(proj["years"], proj["low"], proj["high"], INTERVAL, 0.35))
    points = [(a, b) for a, b in zip(years, spec["stock"], strict=True) if b is not None]
    line = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in points)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="2"/>')
    for a, b in points:
        parts.append(f'<circle cx="{x(a):.1f}" cy="{y(b):.1f}" r="2.5" fill="{INK}"/>')
    if points:  # the last value written on the line
        a, b = points[-1]
        parts.append(_text(x(a) - 4, y(b) - 8, formats.number(b), anchor="end", size=11))
    if proj:
        pts = [points[-1]] if points else []
        pts += list(zip(proj["years"], proj["point"], strict=True))
        line = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in pts)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
        )
        a, b = proj["years"][-1], proj["point"][-1]
        parts.append(_text(x(a), y(b) - 8, formats.number(b), anchor="end", size=11))
    # Legend: line styles and swatches, each with its words.
    ly = 14

    def line_mark(cx: float, dashed: bool = False) -> str:
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        return (
            f'<line x1="{cx}" x2="{cx + 18}" y1="{ly - 4}" y2="{ly - 4}" stroke="{INK}" '
            f'stroke-width="2"{dash}/>'
        )

    def swatch(cx: float, fill: str, opacity: float) -> str:
        return (
            f'<rect x="{cx}" y="{ly - 10}" width="18" height="10" fill="{fill}" '
            f'fill-opacity="{opacity}"/>'
        )

    labels = spec["labels"]
    legend: list[tuple[Callable[[float], str], str]] = [(line_mark, labels["stock"])]
    if proj:
        legend.append((lambda cx: line_mark(cx, dashed=True), labels["projection"]))
        legend.append((lambda cx: swatch(cx, INTERVAL, 0.35), labels["interval"]))
    if target:
        legend.append((lambda cx: swatch(cx, TARGET, 0.18), labels["target"]))
    cursor = x0
    for mark, words in legend:
        parts.append(mark(cursor))
        parts.append(_text(cursor + 22, ly, words, size=10))
        cursor += 30 + 6 * len(words)
    parts.append("</svg>")
    return "".join(parts)


def _bars_svg(spec: dict[str, Any]) -> str:
    labels, values = spec["labels"], spec["values"]
    if not labels:
        return ""
    row = 22
    height = PAD_TOP + row * len(labels) + 8
    label_w = 190
    x0, x1 = label_w, WIDTH - 90
    top = max(values) or 1
    parts = _svg_open(height, spec["title"])
    parts.append(_text(0, 16, spec["title"], size=12))
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = PAD_TOP + i * row
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(_text(label_w - 6, y + 14, short, anchor="end", size=11))
        w = (x1 - x0) * value / top
        parts.append(
            f'<rect x="{x0}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="#2b8cbe"/>'
        )
        parts.append(_text(x0 + w + 6, y + 14, _fmt(value, spec.get("unit", "")), size=11))
    parts.append("</svg>")
    return "".join(parts)


def svg(spec: dict[str, Any] | None) -> str:
    """The spec as a standalone SVG string ("" when there is nothing to draw)."""
    if not spec:
        return ""
    if spec["type"] == "growth":
        return _growth_svg(spec)
    if spec["type"] == "bars":
        return _bars_svg(spec)
    raise ValueError(spec["type"])


def area_map_svg(*, features: list[dict[str, Any]], highlight: str, title: str) -> str:
    """A small locator map: every area outline in grey, the profiled area filled.

    features: GeoJSON features with properties.code and Polygon/MultiPolygon geometry.
    """
    rings: list[tuple[str, list[list[float]]]] = []
    for f in features:
        geometry = f.get("geometry") or {}
        polygons = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            if polygon:
                rings.append((f["properties"].get("code", ""), polygon[0]))
    if not rings:
        return ""
    xs = [p[0] for _, ring in rings for p in ring]
    ys = [p[1] for _, ring in rings for p in ring]
    w, h = 320, 320
    sx = (max(xs) - min(xs)) or 1
    sy = (max(ys) - min(ys)) or 1
    scale = min((w - 8) / sx, (h - 8) / sy)
    x0, y1 = min(xs), max(ys)

    def pt(p: list[float]) -> str:
        return f"{4 + (p[0] - x0) * scale:.1f},{4 + (y1 - p[1]) * scale:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for code, ring in sorted(rings, key=lambda r: r[0] == highlight):
        mine = code == highlight or code.startswith(highlight + ".")
        fill, stroke = ("#045a8d", "#02314d") if mine else ("#eef1f4", "#9aa5b1")
        points = " ".join(pt(p) for p in ring)
        parts.append(
            f'<polygon points="{points}" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{1.5 if mine else 0.6}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
