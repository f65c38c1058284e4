"""CSV and other delimited text: its encoding and delimiter guessed, its records read."""

from __future__ import annotations

import codecs
import csv
import itertools
from collections.abc import Generator, Iterator
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sentra.imports.readers.base import FileRejected, max_rows
from sentra.imports.readers.shape import (
    TITLE_ROWS,
    SkippedRows,
    Table,
    combine_header,
    locate_header,
)

_CHUNK = 1024 * 1024


def _decodes(path: Path, codec: str) -> tuple[int, bool]:
    """(newlines, holds a non-blank character) of the whole file decoded with `codec`,
    a megabyte at a time (the text is not kept); UnicodeDecodeError when it does not
    decode."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    newlines, filled = 0, False
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            text = decoder.decode(chunk)
            newlines += text.count("\n")
            filled = filled or bool(text.strip())
        text = decoder.decode(b"", final=True)
    return newlines + text.count("\n"), filled or bool(text.strip())


def detect_encoding(path: Path) -> tuple[str, str, int, bool]:
    """(codec, its name for people, newlines, holds a non-blank character): UTF-8 (with
    or without BOM), UTF-16, cp1252. The file is read through once, not kept in memory
    (a 100,000-row file would be its size again as bytes and as text)."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8 (BOM)", *_decodes(path, "utf-8-sig")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "UTF-16", *_decodes(path, "utf-16")
    try:
        return "utf-8", "UTF-8", *_decodes(path, "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return "cp1252", "Windows-1252", *_decodes(path, "cp1252")
    except UnicodeDecodeError as exc:
        raise FileRejected(
            _(
                "Pengodean teks berkas CSV tidak dikenali (bukan UTF-8 atau Windows-1252). "
                "Simpan ulang sebagai 'CSV UTF-8'."
            )
        ) from exc


def _text_lines(path: Path, codec: str) -> Generator[str]:
    """The file's lines, decoded as read; the file is closed when they are done."""
    with path.open("r", encoding=codec, newline="") as fh:
        yield from fh


def sniff_delimiter(first_lines: str) -> str:
    """`,`, `;` or tab: whichever splits one of the first lines into the most columns."""
    counts = {}
    for delim in (",", ";", "\t"):
        lines = first_lines.split("\n")
        try:
            counts[delim] = max(len(r) for r in csv.reader(lines, delimiter=delim))
        except csv.Error:  # an over-long cell: the reader below says so
            counts[delim] = 1
    best = max(counts.values())
    for delim in (",", ";", "\t"):  # ties go to the comma
        if counts[delim] == best:
            return delim
    return ","


_DELIM_NAMES = {",": _lazy("koma"), ";": _lazy("titik koma"), "\t": _lazy("tab")}


def _csv_records(reader) -> Iterator[list[str]]:
    """csv.reader's records, its errors told as the person can act on them."""
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise FileRejected(
                    _(
                        "Satu sel di sekitar baris %(line)s lebih panjang dari batas "
                        '%(limit)s karakter per sel. Biasanya tanda kutip (") yang tidak '
                        "ditutup, sehingga sisa berkas terbaca sebagai satu sel; atau sel "
                        "berisi teks yang sangat panjang. Periksa baris itu, simpan, lalu "
                        "unggah lagi."
                    )
                    % {
                        "line": reader.line_num,
                        "limit": f"{csv.field_size_limit():,}".replace(",", "."),
                    }
                ) from exc
            raise FileRejected(
                _("Baris %(line)s tidak terbaca sebagai CSV (%(error)s).")
                % {"line": reader.line_num, "error": exc}
            ) from exc
        yield record


def read_csv(path: Path) -> Table:
    codec, encoding, newlines, filled = detect_encoding(path)
    if not filled:
        raise FileRejected(_("Berkas CSV kosong."))
    lines = newlines + 1
    if lines > max_rows() + 1:
        raise FileRejected(
            _(
                "Berkas berisi %(rows)s baris; batasnya %(limit)s baris per impor. Pecah "
                "berkas menjadi beberapa bagian."
            )
            % {
                "rows": f"{lines:,}".replace(",", "."),
                "limit": f"{max_rows():,}".replace(",", "."),
            }
        )
    # Title lines above the header hold no delimiter: sniff on the first lines together.
    head = _text_lines(path, codec)
    first_lines = [line.rstrip("\r\n") for line in itertools.islice(head, TITLE_ROWS + 1)]
    head.close()
    delimiter = sniff_delimiter("\n".join(line for line in first_lines if line.strip()))
    # Record by record from the file: the text is never held whole.
    reader = csv.reader(_text_lines(path, codec), delimiter=delimiter)
    notes = [
        _("Pengodean: %(encoding)s; pemisah kolom: %(delimiter)s.")
        % {"encoding": encoding, "delimiter": _DELIM_NAMES[delimiter]}
    ]
    numbered = enumerate(_csv_records(reader))
    header_row, header_cells, pending = locate_header(numbered, notes=notes)
    header, last_row, data = combine_header(
        header_cells,
        header_row=header_row,
        rest=itertools.chain(pending, numbered),
        merged=[],
        notes=notes,
    )
    skipped = SkippedRows()

    def data_rows() -> Iterator[tuple[int, list]]:
        width = len(header)
        for index, record in data:
            if not any(c.strip() for c in record):
                continue
            if len(record) < width:
                record = record + [""] * (width - len(record))
            if skipped.trailer(index + 1, record):
                continue
            yield index + 1, record

    return Table(
        header=header,
        rows=data_rows(),
        total=max(lines - last_row, 0),
        header_row=last_row,
        notes=notes,
        skipped=skipped,
    )
