"""The list's lines built in Python are the markup the template engine gave, escaped alike."""

import re
from datetime import date

import pytest
from django.template import Context, Template

from sentra.registry.selectors import IkmListRow
from sentra.registry.templatetags.registry_tags import ikm_rows

# The loop `registry/_ikm_table.html` had before the tag, kept as the reference.
TEMPLATE_LOOP = """{% load i18n %}
  {% for ikm in rows %}
    <tr>
      <td class="wrap"><a href="{% url 'registry:ikm_detail' ikm.pk %}">{{ ikm.name }}</a>
        {% if ikm.closed_on %}<span class="badge closed">{% translate "tutup" %}</span>{% endif %}
        {% if ikm.location_check == "mismatch" or ikm.location_check == "outside" %}<span class="badge warn" title="{{ ikm.location_label }}">{% translate "cek lokasi" %}</span>{% endif %}
        {% if ikm.incomplete_fields %}<span class="badge warn" data-testid="incomplete" title="{{ ikm.incomplete_labels|join:', ' }}">{% translate "perlu dilengkapi" %}: {{ ikm.incomplete_labels|join:", " }}</span>{% endif %}</td>
      <td class="hide-sm">{{ ikm.owner_name }}</td>
      <td>{{ ikm.desa_name }}</td><td class="hide-sm">{{ ikm.kecamatan_name }}</td>
      <td class="wrap hide-sm">{{ ikm.main_products|truncatechars:60 }}</td>
      <td class="hide-sm">{{ ikm.subsector_name|default:"–" }}</td>
      <td>{{ ikm.scale_label|default:"–" }}</td>
      <td class="num hide-sm">{{ ikm.workers_total }}</td>
      <td class="num hide-sm">{{ ikm.started_year|default:"–" }}</td>
    </tr>
  {% empty %}
    <tr><td colspan="9">{% translate "Tidak ada IKM yang cocok dengan saringan ini." %}</td></tr>
  {% endfor %}"""

HOSTILE = "<script>alert('x')</script> & \"kutip\""


def _line(pk: int, **changes) -> IkmListRow:
    values = dict(
        pk=pk,
        name="Endek Sari",
        owner_name="Ni Made Ayu",
        main_products="kain endek " * 10,
        workers_total=12,
        started_year=2015,
        closed_on=None,
        location_check="",
        incomplete_fields=[],
        desa_name="Pemecutan Kaja",
        kecamatan_name="Denpasar Utara",
        subsector_name="Fesyen",
        scale="mikro",
    )
    return IkmListRow(**{**values, **changes})


def _tags_apart(html: str) -> str:
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_lines_are_the_template_s_markup(language):
    from django.utils import translation

    lines = [
        _line(1),
        _line(22, closed_on=date(2025, 1, 2), location_check="mismatch", scale=""),
        _line(333, location_check="outside", incomplete_fields=["owner_nik", "kbli"]),
        _line(4, subsector_name=None, started_year=None, location_check="ok", workers_total=0),
        _line(
            5,
            name=HOSTILE,
            owner_name=HOSTILE,
            main_products=HOSTILE,
            desa_name=HOSTILE,
            kecamatan_name=HOSTILE,
            subsector_name=HOSTILE,
        ),
    ]
    with translation.override(language):
        for rows in (lines, []):
            expected = Template(TEMPLATE_LOOP).render(Context({"rows": rows}))
            assert _tags_apart(ikm_rows(rows)) == _tags_apart(expected)
    assert "<script>" not in ikm_rows(lines)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;kutip&quot;" in ikm_rows(
        lines
    )
