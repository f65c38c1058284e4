import json
from dataclasses import dataclass

from django.utils import translation

from sentra.lib import charts


@dataclass
class Row:
    year: int
    stock: int
    complete: bool = True


ROWS = [Row(2022, 1000), Row(2023, 1060), Row(2024, 1120), Row(2025, 1180, complete=False)]


def test_growth_spec_has_the_target_band_from_the_last_complete_year():
    spec = charts.growth_spec(
        title="IKM",
        rows=ROWS,
        projection_rows=[(2025, 1185.0, 1150.0, 1220.0), (2026, 1250.0, 1190.0, 1310.0)],
        target_low=0.05,
        target_high=0.08,
    )
    assert spec["target"]["years"] == [2024, 2025, 2026]
    assert spec["target"]["low"] == [1120, 1176, 1235]
    assert spec["target"]["high"] == [1120, 1210, 1306]
    assert spec["projection"]["low"] == [1150, 1190]
    json.dumps(spec)  # the page embeds it as JSON


def test_growth_svg_writes_the_numbers_and_the_legend_in_the_active_language():
    with translation.override("id"):
        spec = charts.growth_spec(
            title="IKM",
            rows=[Row(2022, 1000), Row(2023, 1_060)],
            projection_rows=[(2024, 1120.0, 1100.0, 1140.0)],
            target_low=0.05,
            target_high=0.08,
        )
        svg = charts.svg(spec)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "1.060" in svg and "1.120" in svg  # last value and projection as text
    assert "Target 5–8 %/tahun" in svg
    assert 'stroke-dasharray="6 4"' in svg  # projection differs by dash, not colour only
    assert svg.count("<polygon") == 2  # target band and prediction interval


def test_bars_svg_labels_every_bar_with_its_value():
    with translation.override("en"):
        spec = charts.bars_spec(
            title="By kecamatan",
            labels=["Denpasar <Barat>", "Timur"],
            values=[1234, 56.5],
            unit="%",
        )
        svg = charts.svg(spec)
    assert "Denpasar &lt;Barat&gt;" in svg  # labels are escaped
    assert "1,234.0 %" in svg and "56.5 %" in svg


def test_area_map_fills_the_area_and_outlines_its_neighbours():
    square = [[[115.2, -8.6], [115.3, -8.6], [115.3, -8.7], [115.2, -8.7], [115.2, -8.6]]]
    features = [
        {
            "properties": {"code": "51.71.01"},
            "geometry": {"type": "Polygon", "coordinates": square},
        },
        {
            "properties": {"code": "51.71.02"},
            "geometry": {"type": "MultiPolygon", "coordinates": [square]},
        },
    ]
    svg = charts.area_map_svg(features=features, highlight="51.71.02", title="Letak")
    assert svg.count("<polygon") == 2
    assert svg.count('fill="#045a8d"') == 1
    assert charts.area_map_svg(features=[], highlight="x", title="t") == ""
