"""The {% select %} tag writes what Django's own Select widget writes, escaped alike."""

import re

from django import forms
from django.utils.safestring import mark_safe

from sentra.lib.templatetags.sentra_tags import select

HOSTILE = "<b>\"Bali\" & 'Nusa'</b>"


class _Form(forms.Form):
    area = forms.ChoiceField(
        required=False,
        choices=[("", "Semua"), ("51.71", HOSTILE), (HOSTILE, "kode aneh"), (3, "angka")],
    )
    many = forms.MultipleChoiceField(
        required=False, choices=[("a", "A"), ("b", mark_safe("<i>B</i>")), ("c", "C & D")]
    )


def _options(html: str) -> list[tuple[str, bool, str]]:
    found = re.findall(r'<option value="([^"]*)"( selected)?>(.*?)</option>', html)
    return [(value, bool(chosen), label) for value, chosen, label in found]


def test_the_options_are_django_s_own():
    for data in ({}, {"area": "51.71"}, {"area": HOSTILE}, {"area": "3"}, {"many": ["a", "b"]}):
        form = _Form(data)
        for name in ("area", "many"):
            ours = select(form[name])
            django_s = str(form[name])
            assert _options(ours) == _options(django_s), (data, name)
            assert "<b>" not in ours
    assert "&lt;b&gt;&quot;Bali&quot; &amp; &#x27;Nusa&#x27;&lt;/b&gt;" in select(_Form()["area"])
    assert "<i>B</i>" in select(_Form()["many"])  # a label marked safe stays as it is


def test_attributes_become_data_attributes_escaped():
    html = select(_Form()["area"], hx_get="/x?a=1&b=2", hx_target="#id_desa")
    assert html.startswith('<select name="area" id="id_area" hx-get="/x?a=1&amp;b=2"')
    assert 'hx-target="#id_desa"' in html
