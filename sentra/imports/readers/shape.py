"""The shape of a sheet as offices make them: title rows above the header, a header on
one or two rows, totals and signature blocks below the data; and Table, what every
reader returns.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sentra.imports.readers.base import cell_ref, cell_text, col_letter, is_blank
from sentra.lib.text import fold


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list]]  # (row number as the spreadsheet shows it, cells)
    total: int  # upper bound of data rows, for progress
    header_row: int = 1
    sheet: str = ""
    notes: list[str] = field(default_factory=list)
    # {(row number, column index): message} for cells the reader itself distrusts.
    cell_issues: dict[tuple[int, int], str] = field(default_factory=dict)
    # Totals, signature blocks and numbered empty rows met while reading (their notes
    # are complete once `rows` is exhausted).
    skipped: SkippedRows | None = None


# --- rows below the data: totals and signature blocks ---------------------------------

_TOTAL_WORDS = {"jumlah", "total", "jumlah total", "grand total", "sub total", "subtotal", "jml"}
_SIGNATURE = re.compile(
    r"^(mengetahui|menyetujui|disetujui|diperiksa|dibuat oleh|disusun oleh|tanda tangan|"
    r"kepala (dinas|bidang|seksi|bagian|sub ?bagian)|kabid|kasi|sekretaris|a\.?n\.? |"
    r"plt\.?|plh\.?|nip\b|nip\.|pembina|penata|pengatur|petugas pendata|pencacah)",
)
# "Denpasar, 12 Maret 2025": the place and date above a signature.
_PLACE_DATE = re.compile(r"^[a-z .]+,\s*\d{1,2}\s+[a-z]+\s+\d{4}$")


class SkippedRows:
    """Rows below the data that are not records: a JUMLAH/TOTAL line, the place and
    date, "Mengetahui", "Kepala Bidang …", the signatory's name and "NIP. …". Once a
    total or signature row is seen, sparse rows after it (three cells or fewer) belong
    to the same block; a row that is filled like data again is data."""

    def __init__(self, header: list[str] | None = None) -> None:
        self.header = header or []
        self.formula_columns: set[int] = set()
        self.rows: list[tuple[int, str]] = []
        self.numbered_only: list[int] = []
        self._in_block = False

    def trailer(self, number: int, cells: list) -> bool:
        # Most rows are data: four filled cells or more, none of the first three a
        # total word. That is found from the first four filled cells alone (the full
        # check below would fold every cell of every row: a quarter of validation).
        first: list[str] = []
        for c in cells:
            if c is None:
                continue
            t = (c if type(c) is str else str(c)).strip()
            if t:
                first.append(t)
                if len(first) > 3:
                    break
        if len(first) > 3 and not any(fold(t).rstrip(" :") in _TOTAL_WORDS for t in first[:3]):
            self._in_block = False
            return False
        texts = [cell_text(c) for c in cells]
        filled = [t for t in texts if t]
        folded = [fold(t).rstrip(" :") for t in filled]
        if len(filled) == 1 and not is_blank(cells[0]) and isinstance(cells[0], int | float):
            self.numbered_only.append(number)  # a numbered but empty row ("No" only)
            return True
        is_total = any(f in _TOTAL_WORDS for f in folded[:3])
        is_signature = len(filled) <= 3 and any(
            _SIGNATURE.match(f) or _PLACE_DATE.match(f) for f in folded
        )
        if is_total or is_signature or (self._in_block and len(filled) <= 3):
            self._in_block = True
            self.rows.append((number, " / ".join(t[:40] for t in filled[:3])))
            return True
        self._in_block = False
        return False

    def notes(self) -> list[str]:
        out = []
        if self.formula_columns:
            out.append(
                _(
                    "Kolom %(columns)s berisi rumus (formula): nilai hasil yang tersimpan di "
                    "berkas dipakai; rumus tanpa nilai tersimpan ditandai per sel."
                )
                % {
                    "columns": ", ".join(
                        self.header[c] for c in sorted(self.formula_columns) if c < len(self.header)
                    )
                }
            )
        if self.rows:
            out.append(
                _(
                    "Baris %(rows)s bukan data IKM (baris jumlah atau blok tanda tangan) dan "
                    "dilewati: %(texts)s."
                )
                % {
                    "rows": ", ".join(str(n) for n, _t in self.rows[:20]),
                    "texts": "; ".join(t for _n, t in self.rows[:8]),
                }
            )
        if self.numbered_only:
            out.append(
                _("Baris %(rows)s hanya berisi nomor urut, tanpa data, dan dilewati.")
                % {"rows": _ranges(self.numbered_only)}
            )
        return out


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


TITLE_ROWS = 10


def locate_header(
    numbered: Iterator[tuple[int, list]], *, notes: list[str]
) -> tuple[int, list, list[tuple[int, list]]]:
    """(1-based header row, its cells, rows read past it) from `enumerate(rows)`.

    Government spreadsheets often start with a title block — "DATA IKM KOTA DENPASAR
    TAHUN 2024", "Sumber: Bidang Perindustrian" — one filled cell a row above the column
    titles. The header is the first row with two or more filled cells; up to TITLE_ROWS
    single-cell rows above it are skipped and named in a note. With no such row near the
    top, the first filled row is the header (a one-column file) and the rest is data.
    0 as the row: the sheet is empty.
    """
    titles: list[tuple[int, list]] = []
    for index, cells in numbered:
        filled = [c for c in cells if not is_blank(c)]
        if len(filled) >= 2:
            if titles:
                first, last = titles[0][0] + 1, titles[-1][0] + 1
                rows = f"{first}" if first == last else f"{first}–{last}"
                text = " / ".join(
                    str(next(c for c in t if not is_blank(c)))[:60] for _, t in titles
                )
                notes.append(
                    _(
                        "Baris %(rows)s di atas judul kolom dibaca sebagai judul lembar dan "
                        "dilewati: %(text)s."
                    )
                    % {"rows": rows, "text": text}
                )
            return index + 1, cells, []
        if filled:
            titles.append((index, cells))
            if len(titles) > TITLE_ROWS:
                break
    if not titles:
        return 0, [], []
    (index, cells), rest = titles[0], titles[1:]
    return index + 1, cells, rest


_COLUMN_NUMBER = re.compile(r"^\(?\d{1,3}\)?$")


def _looks_like_sub_header(top: list[str], below: list) -> bool:
    """A second header row: text only, and it fills the gaps the first row leaves."""
    texts = [cell_text(c) for c in below]
    filled = [i for i, t in enumerate(texts) if t]
    if not filled or any(not isinstance(below[i], str) for i in filled):
        return False
    if any(len(texts[i]) > 40 for i in filled):
        return False
    last = max((i for i, t in enumerate(top) if t), default=-1)
    gaps = [i for i in range(last + 1) if not top[i]]
    if not gaps or not all(i < len(texts) and texts[i] for i in gaps):
        return False
    # Sub-names stand only under a parent and the gaps to its right, never under a
    # column that has its own name: a data row fills those too.
    allowed = set(gaps)
    for i in gaps:
        j = i
        while j > 0 and not top[j]:
            j -= 1
        allowed.add(j)
    return set(filled) <= allowed


def combine_header(
    cells: list,
    *,
    header_row: int,
    rest: Iterator[tuple[int, list]],
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    col_offset: int = 0,
    notes: list[str],
) -> tuple[list[str], int, Iterator[tuple[int, list]]]:
    """(column names, last header row, the data rows) for a header of one or two rows.

    A parent cell merged over sub-cells ("Tenaga Kerja" over "L" and "P") gives combined
    names ("Tenaga Kerja L", "Tenaga Kerja P"); a cell merged down over both rows keeps
    its own name. Without merge information (CSV, or merges undone) a second row of short
    texts that fills the first row's gaps is read the same way, each gap taking the
    parent on its left. A row of column numbers ("1", "(2)", …) under the header, as
    government forms have, is skipped. Blank names become "(kolom X)" and repeated names
    get a number, both said in the notes, so that no column is silently lost.
    """
    top = [cell_text(c) for c in cells]
    width = len(top)
    spans = [
        (c1, c2) for (r1, c1), (r2, c2) in merged if r1 == header_row and c2 > c1 and c1 < width
    ]
    down = {c1 for (r1, c1), (r2, c2) in merged if r1 == header_row and r2 > r1}
    rest = iter(rest)
    lookahead = next(rest, None)
    two_rows = False
    if lookahead is not None:
        below = list(lookahead[1])
        if spans or down:
            two_rows = (
                lookahead[0] + 1 == header_row + 1
                and all(isinstance(c, str) or is_blank(c) for c in below)
                and any(cell_text(c) for c in below)
            )
        else:
            two_rows = _looks_like_sub_header(top, below)
    last_row = header_row
    if two_rows:
        assert lookahead is not None
        below = [cell_text(c) for c in lookahead[1]]
        width = max(width, len(below))
        top += [""] * (width - len(top))
        below += [""] * (width - len(below))
        parent = list(top)
        for c1, c2 in spans:
            for c in range(c1 + 1, min(c2, width - 1) + 1):
                parent[c] = top[c1]
        if not spans:
            for i in range(1, width):
                if not parent[i] and below[i]:
                    parent[i] = parent[i - 1]
        top = [
            f"{p} {b}" if p and b and fold(p) != fold(b) else (p or b)
            for p, b in zip(parent, below, strict=True)
        ]
        last_row = header_row + 1
        notes.append(
            _("Judul kolom dua baris (%(first)s–%(last)s) digabung, mis. '%(example)s'.")
            % {
                "first": header_row,
                "last": last_row,
                "example": next((t for t, b in zip(top, below, strict=True) if b), top[0]),
            }
        )
        lookahead = next(rest, None)
    if lookahead is not None:
        texts = [cell_text(c) for c in lookahead[1]]
        filled = [t for t in texts if t]
        if len(filled) >= 2 and all(_COLUMN_NUMBER.match(t.replace(".0", "")) for t in filled):
            notes.append(
                _("Baris %(row)s berisi nomor kolom (1, 2, 3, …) dan dilewati.")
                % {"row": lookahead[0] + 1}
            )
            last_row = lookahead[0] + 1
            lookahead = None
    data = itertools.chain([lookahead] if lookahead is not None else [], rest)
    return _header(top, header_row=header_row, col_offset=col_offset, notes=notes), last_row, data


def _header(cells: list, *, header_row: int, col_offset: int = 0, notes: list[str]) -> list[str]:
    """Header texts: blank names get their column letter, repeated ones a number."""
    header = [cell_text(c) for c in cells]
    while header and not header[-1]:
        header.pop()
    blanks = [i for i, h in enumerate(header) if not h]
    for i in blanks:
        header[i] = _("(kolom %(letter)s)") % {"letter": col_letter(i + col_offset)}
    if blanks:
        notes.append(
            _(
                "Judul kolom kosong di %(cells)s: kolom itu diberi nama menurut hurufnya dan "
                "tidak dipetakan (petakan sendiri bila berisi data)."
            )
            % {"cells": ", ".join(cell_ref(header_row, i + col_offset) for i in blanks[:10])}
        )
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = " ".join(name.lower().split())
        if key in seen:
            renamed = f"{name} ({sum(1 for k in seen if k.split(' (')[0] == key) + 1})"
            notes.append(
                _(
                    "Judul kolom '%(name)s' muncul dua kali (%(first)s dan %(second)s); yang "
                    "kedua dibaca sebagai '%(renamed)s'."
                )
                % {
                    "name": name,
                    "first": cell_ref(header_row, seen[key] + col_offset),
                    "second": cell_ref(header_row, i + col_offset),
                    "renamed": renamed,
                }
            )
            header[i] = renamed
            key = " ".join(renamed.lower().split())
        seen[key] = i
    return header
