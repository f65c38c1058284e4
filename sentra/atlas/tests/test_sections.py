"""One source for every table of the area profile: the page, the PDF and the Excel sheet
show the same rows of `profile_sections`, in the reader's language."""

import io
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from openpyxl import load_workbook
from pypdf import PdfReader

from sentra.atlas.selectors import excel_lines, profile_sections
from sentra.atlas.selectors.report import Cell, excel_values
from sentra.atlas.views import _profile_context
from sentra.testing.factories import DENPASAR_SELATAN, DESA_BARAT, DESA_SELATAN, IkmFactory

pytestmark = pytest.mark.django_db
URL = f"/atlas/wilayah/{DENPASAR_SELATAN}/"


@pytest.fixture
def area():
    # A sentra (five units, one product, one desa), a second product, several years.
    for year in (2019, 2020, 2021, 2022, 2023):
        IkmFactory(
            desa_id=DESA_SELATAN,
            kbli_id="10792",
            main_products="Pie Susu",
            subsector_id="B16-08",
            started_year=year,
            investment=12_500_000,
        )
    IkmFactory.create_batch(
        2, desa_id=DESA_SELATAN, main_products="Endek", started_year=2021, investment=12_500_000
    )
    IkmFactory.create_batch(3, desa_id=DESA_BARAT, started_year=2020, investment=5_000_000)


class _Tables(HTMLParser):
    """The cell texts of every <table data-section> of a page, by section key."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, list[list[str]]]] = {}
        self._key = self._part = ""
        self._cell: list[str] | None = None
        self._empty = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-section" in a:
            self._key = a["data-section"]
            self.tables[self._key] = {"head": [], "body": []}
        elif self._key and tag in ("thead", "tbody"):
            self._part = "head" if tag == "thead" else "body"
        elif self._key and tag == "tr":
            self._empty = a.get("class") == "empty"
            if not self._empty:
                self.tables[self._key][self._part].append([])
        elif self._key and tag in ("td", "th") and not self._empty:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._key = ""
        elif tag in ("td", "th") and self._cell is not None:
            text = " ".join(unescape("".join(self._cell)).replace("\xa0", " ").split())
            self.tables[self._key][self._part][-1].append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _tables(html: str) -> dict[str, dict[str, list[list[str]]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _texts(row: list[Cell]) -> list[str]:
    return [" ".join(c.text.split()) for c in row]


def _excel_blocks(content: bytes) -> dict[str, list[list[object]]]:
    """The sheet's lines by their first column: [header, *rows] per section."""
    ws = load_workbook(io.BytesIO(content)).active
    blocks: dict[str, list[list[object]]] = {}
    for line in ws.iter_rows(values_only=True):
        values = list(line)
        while values and values[-1] is None:
            values.pop()
        if len(values) > 1:
            blocks.setdefault(values[0], []).append(values[1:])
    return blocks


def _check_html(html: str, sections) -> None:
    tables = _tables(html)
    assert list(tables) == [s.key for s in sections]
    for s in sections:
        assert tables[s.key]["head"] == [[str(c.label) for c in s.columns]], s.key
        assert tables[s.key]["body"] == [_texts(r) for r in s.page_rows], s.key
        assert s.heading in html


def test_every_section_has_the_same_rows_on_the_page_in_the_pdf_and_in_excel(client, viewer, area):
    client.force_login(viewer)
    response = client.get(URL)
    assert response.status_code == 200
    sections = response.context["sections"]
    keys = [s.key for s in sections]
    assert keys == [
        "condition", "scale", "products", "kbli", "children", "sentra", "lq", "coaching",
        "growth",
    ]  # fmt: skip
    by_key = {s.key: s for s in sections}
    assert [c.value for c in by_key["sentra"].rows[0]][::3] == ["pie susu", 5]
    assert by_key["products"].rows[0][1].value == 5 and by_key["growth"].rows
    # Every section has rows here, so the comparisons below compare something.
    assert all(s.rows for s in sections), [s.key for s in sections if not s.rows]

    _check_html(response.content.decode(), sections)

    # The PDF's HTML is the same body; its text carries the same cells.
    request = response.wsgi_request
    pdf_html = render_to_string(
        "atlas/profile_pdf.html", _profile_context(request, response.context["p"]), request
    )
    _check_html(pdf_html, sections)
    pdf = client.get(URL + "profil.pdf")
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    for s in sections:
        assert s.heading in text, s.heading
        for row in s.page_rows:
            for cell in _texts(row):
                assert cell in text, (s.key, cell)

    blocks = _excel_blocks(client.get(URL + "profil.xlsx").content)
    for s in sections:
        header, *rows = blocks[s.heading]
        assert header == [str(c.label) for c in s.columns]
        for row in s.intro:
            assert rows.pop(0) == [row]
        got = [[_close(v) for v in r] for r in rows[: len(s.rows)]]
        assert got == [_trimmed(excel_values(r)) for r in s.rows], s.key
        assert rows[len(s.rows) :] == [[n] for n in s.notes], s.key


def _trimmed(values: list) -> list:
    while values and values[-1] is None:
        values.pop()
    return [_close(v) for v in values]


def _close(value: object) -> object:
    # A spreadsheet keeps 15 significant digits.
    return float(f"{value:.12g}") if isinstance(value, int | float) else value


def test_money_is_a_number_in_excel_and_words_on_the_page(client, viewer, area):
    client.force_login(viewer)
    sections = client.get(URL).context["sections"]
    investment = next(r for r in sections[0].rows if r[0].value == "Investasi per IKM (Rp)")
    assert investment[0].text == "Investasi per IKM" and investment[0].indent
    assert investment[1].value == 12_500_000
    assert investment[1].text == "Rp 12,5 juta"
    ws = load_workbook(io.BytesIO(client.get(URL + "profil.xlsx").content)).active
    line = next(r for r in ws.iter_rows() if r[1].value == "Investasi per IKM (Rp)")
    assert line[2].number_format == '"Rp" #,##0'


def test_english_reader_gets_english_tables_from_the_same_cached_profile(client, viewer, area):
    client.force_login(viewer)
    indonesian = client.get(URL).content.decode()
    assert "Sentra IKM terdeteksi" in indonesian and "Rata-rata 3 tahun" in indonesian
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(URL)
    html = response.content.decode()
    sections = response.context["sections"]
    headings = [s.heading for s in sections]
    assert headings[0] == "Current state" and "Potential" in html
    for s in sections:
        assert s.heading == str(s.title or s.part)
        assert not re.search(r"\b(Rata-rata|Tenaga kerja|Golongan|terdeteksi)\b", s.heading)
    labels = {row[0].text for s in sections for row in s.rows}
    assert {"Active IKM", "Workers", "male", "3-year average"} <= labels, labels
    assert "Mikro" not in labels and "Micro" in labels
    assert "Tenaga kerja" not in html and "Sentra IKM terdeteksi" not in html
    blocks = _excel_blocks(client.get(URL + "profil.xlsx").content)
    assert set(headings) <= set(blocks)
    assert blocks["Current state"][1][0] == "Active IKM"


def test_excel_lines_name_the_section_on_each_line(area):
    from sentra.atlas.selectors import area_profile

    sections = profile_sections(area_profile(code=DENPASAR_SELATAN))
    lines = list(excel_lines(sections, title=["Profil"]))
    assert lines[0].values == ["Profil"] and lines[0].bold
    heads = [line for line in lines if line.bold][1:]
    assert [h.values[0] for h in heads] == [s.heading for s in sections]
