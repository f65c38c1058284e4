import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from sentra.lib import formats


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", ["1.234", "5,6 %", "Rp 65,2 juta", "Rp 5.000.000", "6 Des 2026", "-8,650742"]),
        ("en", ["1,234", "5.6 %", "IDR 65.2 million", "IDR 5,000,000", "6 Dec 2026", "-8.650742"]),
    ],
)
def test_one_notation_per_language(lang, expected):
    with translation.override(lang):
        got = [
            formats.number(1234),
            formats.percent(5.6),
            formats.rupiah_short(65_200_000),
            formats.rupiah(5_000_000),
            formats.date(dt.date(2026, 12, 6)),
            formats.coordinate(Decimal("-8.650742")),
        ]
    assert got == expected


def test_missing_values_are_a_dash():
    assert {
        formats.number(None),
        formats.percent(None),
        formats.rupiah(None),
        formats.rupiah_short(""),
        formats.date(None),
    } == {"–"}


def test_filters_are_in_every_template_without_load():
    template = Template("{{ n|num }} · {{ r|rate }} · {{ a|rupiah }} · {{ d|tgl }} · {{ x|rp }}")
    context = Context(
        {"n": 26_400_000, "r": 0.084, "a": 12_300_000_000, "d": dt.date(2028, 6, 7), "x": 250}
    )
    with translation.override("id"):
        assert (
            template.render(context) == "26.400.000 · +8,4 % · Rp 12,3 miliar · 7 Jun 2028 · Rp 250"
        )
    with translation.override("en"):
        assert (
            template.render(context)
            == "26,400,000 · +8.4 % · IDR 12.3 billion · 7 Jun 2028 · IDR 250"
        )
