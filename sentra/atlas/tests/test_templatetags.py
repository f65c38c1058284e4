"""A report table's rows built by {% section_rows %} are the markup the template gave."""

import re

from django.template import Context, Template
from django.utils.safestring import mark_safe

from sentra.atlas.selectors.report import Cell, Column, Section
from sentra.atlas.templatetags.atlas import section_rows

# The rows of `atlas/_profile_body.html` before the tag, kept as the reference.
TEMPLATE_ROWS = (
    "{% for row in s.page_rows %}"
    + """<tr>{% for c in row %}<td{% if c.colspan > 1 %} colspan="{{ c.colspan }}"{% endif %}{% if c.numeric or c.css %} class="{% if c.numeric and c.bar is None %}num{% endif %}{% if c.css %} {{ c.css }}{% endif %}"{% endif %}{% if c.testid and not c.href %} data-testid="{{ c.testid }}"{% endif %}>{% if c.bar is not None %}<div class="bar"><div class="track"><div class="fill w-{{ c.bar }}"></div></div><span class="val">{% endif %}{% if c.indent %}&nbsp;&nbsp;{% endif %}{% if c.href %}<a href="{{ c.href }}"{% if c.testid %} data-testid="{{ c.testid }}"{% endif %}>{{ c.text }}</a>{% else %}{{ c.text }}{% endif %}{% if c.bar is not None %}</span></div>{% endif %}</td>{% endfor %}</tr>
{% empty %}<tr class="empty"><td colspan="{{ s.columns|length }}">{{ s.empty }}</td></tr>{% endfor %}"""
)

HOSTILE = "<script>x</script> & \"kutip\" 'satu'"


def _section(rows, **changes) -> Section:
    values = dict(
        key="k",
        part="Kondisi",
        title="Judul",
        columns=[Column("A"), Column("B", numeric=True), Column("C")],
        rows=rows,
        empty=HOSTILE,
    )
    return Section(**{**values, **changes})


def _tags_apart(html: str) -> str:
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def test_the_rows_are_the_template_s_markup():
    rows = [
        [Cell(HOSTILE), Cell(1234567, "count"), Cell(0.052, "rate", css="up")],
        [
            Cell("Denpasar Barat", href="/ikm/?kecamatan=51.71.03&q=a b", testid="link"),
            Cell(12.5, "decimal", bar=40, suffix=" ▲"),
            Cell(None, "year", testid="year", indent=True),
        ],
        [Cell("semua", colspan=2, css="total"), Cell(3, "percent", bar=0, href="/x", indent=True)],
        [Cell("aman", label=mark_safe("<em>aman</em>")), Cell(7, "money"), Cell("", css="muted")],
    ]
    for section in (_section(rows), _section(rows, page_limit=2), _section([])):
        expected = Template(TEMPLATE_ROWS).render(Context({"s": section}))
        assert _tags_apart(section_rows(section)) == _tags_apart(expected)
    html = section_rows(_section(rows))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<em>aman</em>" in html  # a label marked safe stays as it is
    assert "&lt;script&gt;" in section_rows(_section([]))
