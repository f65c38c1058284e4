"""What every reader shares: the accepted extensions, the size limits, FileRejected and
the cell helpers (blank cells, A1 references).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

EXTENSIONS = {".xlsx", ".xls", ".ods", ".csv"}


def max_bytes() -> int:
    return getattr(settings, "SENTRA_IMPORT_MAX_BYTES", 100 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "SENTRA_IMPORT_MAX_ROWS", 1_000_000)


def max_unpacked_bytes() -> int:
    """What the members of an .xlsx/.ods may unpack to together (a 100,000-row export
    of Sentra unpacks to about 60 MB)."""
    return getattr(settings, "SENTRA_IMPORT_MAX_UNPACKED_BYTES", 400 * 1024 * 1024)


def max_cells() -> int:
    """Cells an .xlsx sheet may declare in its used range (100,000 rows × 60 columns)."""
    return getattr(settings, "SENTRA_IMPORT_MAX_CELLS", 6_000_000)


class FileRejected(Exception):
    """The file cannot be read at all; the message says why and what to do."""


def megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def too_large_message(size: int) -> str:
    return _(
        "Berkas terlalu besar (%(size)s); batasnya %(limit)s. Pecah berkas menjadi beberapa "
        "bagian, atau simpan sebagai .csv yang lebih ringkas."
    ) % {"size": megabytes(size), "limit": megabytes(max_bytes())}


def col_letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def cell_ref(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    return "" if is_blank(value) else str(value).strip()
