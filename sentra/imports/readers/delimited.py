"""CSV and other delimited text: its encoding and delimiter guessed, its records read."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator
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


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM), UTF-16, cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise FileRejected(
            _(
                "Pengodean teks berkas CSV tidak dikenali (bukan UTF-8 atau Windows-1252). "
                "Simpan ulang sebagai 'CSV UTF-8'."
            )
        ) from exc


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
    text, encoding = decode_text(path.read_bytes())
    if not text.strip():
        raise FileRejected(_("Berkas CSV kosong."))
    lines = text.count("\n") + 1
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
    stream = io.StringIO(text, newline="")
    # Title lines above the header hold no delimiter: sniff on the first lines together.
    first_lines = [line.rstrip("\r\n") for line in itertools.islice(stream, TITLE_ROWS + 1)]
    delimiter = sniff_delimiter("\n".join(line for line in first_lines if line.strip()))
    stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter)
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
