"""The typed tables of a report: one list of sections that the page, the PDF and the
Excel sheet all iterate, so a figure is written once and read the same everywhere."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django_stubs_ext import StrOrPromise

from sentra.lib import formats
from sentra.lib.tabular import Line

# How a cell is written: text as is, numbers through sentra.lib.formats.
Kind = Literal["text", "year", "count", "decimal", "decimal2", "money", "rupiah", "percent", "rate"]
# Kinds the Excel sheet shows in its rupiah number format.
_MONEY: frozenset[str] = frozenset({"money", "rupiah"})


def bar_width(value: Any, maximum: Any) -> int:
    """Width of a bar for value against maximum as a whole percent 0–100 (pages write it
    as the class w-<n>, static/css/bars.css: the CSP forbids style="")."""
    try:
        v, m = float(value or 0), float(maximum or 0)
    except (TypeError, ValueError):
        return 0
    if m <= 0 or v <= 0:
        return 0
    return round(min(100.0, 100 * v / m))


@dataclass(frozen=True)
class Cell:
    """One typed value. `value` goes to Excel; `text` is what the page and PDF show."""

    value: Any
    kind: Kind = "text"
    label: StrOrPromise | None = None  # the page's text, when shorter than the value
    href: str = ""
    testid: str = ""
    colspan: int = 1
    bar: int | None = None  # 0–100: a bar drawn before the text (page and PDF only)
    suffix: str = ""  # a mark after the text, e.g. ▲ for a high LQ
    css: str = ""
    indent: bool = False

    @property
    def text(self) -> str:
        if self.label is not None:
            return str(self.label)
        return _written(self.value, self.kind) + self.suffix

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


def _written(value: Any, kind: Kind) -> str:
    if kind == "text":
        return "" if value is None else str(value)
    if kind == "year":
        return "–" if value is None else str(value)
    if kind in ("count", "money"):
        return formats.number(value, 0)
    if kind == "decimal":
        return formats.number(value, 1)
    if kind == "decimal2":
        return formats.number(value, 2)
    if kind == "rupiah":
        return formats.rupiah_short(value)
    if kind == "percent":
        return formats.percent(value)
    # rate: a fraction, signed.
    return "–" if value is None else formats.percent(100 * float(value), signed=True)


@dataclass(frozen=True)
class Column:
    label: StrOrPromise
    numeric: bool = False


@dataclass(frozen=True)
class Section:
    """One table of a report under a part heading (Kondisi, Potensi)."""

    key: str
    part: StrOrPromise
    title: StrOrPromise  # "" when the table sits right under the part heading
    columns: list[Column]
    rows: list[list[Cell]]
    intro: list[str] = field(default_factory=list)  # said before the table
    notes: list[str] = field(default_factory=list)  # said after it
    empty: StrOrPromise = "–"  # the page's one row when there are none
    page_limit: int | None = None  # the page and PDF show this many; Excel all
    overflow: str = ""  # the page's note when rows were left off
    layout: Literal["", "half-start", "half-end"] = ""  # two tables side by side
    testid: str = ""

    @property
    def heading(self) -> str:
        return str(self.title or self.part)

    @property
    def page_rows(self) -> list[list[Cell]]:
        return self.rows if self.page_limit is None else self.rows[: self.page_limit]

    @property
    def truncated(self) -> bool:
        return len(self.page_rows) < len(self.rows)


def excel_values(row: Sequence[Cell]) -> list[Any]:
    """A row as the Excel sheet writes it: a spanning cell leaves empty cells after it."""
    out: list[Any] = []
    for cell in row:
        out.append(cell.value)
        out.extend([None] * (cell.colspan - 1))
    return out


def excel_lines(sections: Sequence[Section], *, title: Sequence[str] = ()) -> Iterator[Line]:
    """Every section on one sheet: the section's name in the first column of each of its
    lines (so a filter on it shows one table), its header in bold, then its rows, notes
    and a blank line."""
    for text in title:
        yield Line([text], bold=True)
    if title:
        yield Line([])
    for s in sections:
        heading = s.heading
        yield Line([heading, *(str(c.label) for c in s.columns)], bold=True)
        for text in s.intro:
            yield Line([heading, text])
        for row in s.rows:
            values = excel_values(row)
            money: set[int] = set()
            at = 1
            for cell in row:
                if cell.kind in _MONEY:
                    money.add(at)
                at += cell.colspan
            yield Line([heading, *values], money=frozenset(money))
        if not s.rows:
            yield Line([heading, str(s.empty)])
        for text in s.notes:
            yield Line([heading, text])
        yield Line([])
