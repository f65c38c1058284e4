"""What a file really is (its first bytes, the members of its archive), checked against
its name before any parser opens it.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sentra.imports.readers.base import EXTENSIONS, FileRejected, max_bytes, too_large_message


def sniff_kind(head: bytes) -> str:
    """What the first bytes say the file is: xlsx, ods, zip, ole, html, pdf, text, binary."""
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "html"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    if b"\x00" in head[:8192]:
        return "binary"
    return "text"


_KIND_NAMES = {
    "xlsx": _lazy("buku kerja Excel (.xlsx)"),
    "ods": _lazy("lembar kerja OpenDocument (.ods)"),
    "ole": _lazy("buku kerja Excel lama (.xls)"),
    "html": _lazy("halaman web (HTML), bukan lembar kerja"),
    "pdf": _lazy("dokumen PDF"),
    "text": _lazy("teks/CSV"),
    "binary": _lazy("berkas biner yang tidak dikenal"),
    "zip": _lazy("arsip ZIP yang bukan lembar kerja"),
    "docx": _lazy("dokumen Word (.docx)"),
}


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and zf.read("mimetype").startswith(
                b"application/vnd.oasis.opendocument.spreadsheet"
            ):
                return "ods"
            if "word/document.xml" in names:
                return "docx"
            return "zip"
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise FileRejected(
            _(
                "Berkas rusak: arsip di dalamnya tidak utuh (mungkin terpotong saat diunduh "
                "atau disalin). Buka berkas di Excel/LibreOffice, simpan ulang, lalu unggah lagi."
            )
        ) from exc


def _ole_encrypted(path: Path) -> bool:
    # An .xlsx with a password is an OLE container holding an "EncryptionInfo" stream.
    with path.open("rb") as fh:
        head = fh.read(2 * 1024 * 1024)
    return "EncryptionInfo".encode("utf-16-le") in head


def detect_kind(path: Path, *, extension: str) -> str:
    """The real type of the file, checked against its name; raises FileRejected."""
    size = path.stat().st_size
    if size == 0:
        raise FileRejected(_("Berkas kosong (0 byte). Periksa apakah berkas yang benar terpilih."))
    if size > max_bytes():
        raise FileRejected(too_large_message(size))
    if extension not in EXTENSIONS:
        raise FileRejected(
            _("Jenis berkas %(extension)s tidak didukung. Gunakan .xlsx, .xls, .ods, atau .csv.")
            % {"extension": extension or _("(tanpa akhiran)")}
        )
    with path.open("rb") as fh:
        head = fh.read(8192)
    kind = sniff_kind(head)
    if kind == "zip":
        kind = _zip_kind(path)
    if kind == "ole" and _ole_encrypted(path):
        raise FileRejected(
            _(
                "Buku kerja ini dilindungi kata sandi, sehingga isinya tidak dapat dibaca. "
                "Buka di Excel, hapus kata sandinya (File › Info › Protect Workbook), simpan, "
                "lalu unggah lagi."
            )
        )
    expected = {".xlsx": "xlsx", ".ods": "ods", ".xls": "ole", ".csv": "text"}[extension]
    if kind != expected:
        actual = str(_KIND_NAMES.get(kind, kind))
        hint = ""
        if kind == "html" and extension == ".xls":
            hint = " " + _(
                "Banyak aplikasi mengekspor tabel web dengan akhiran .xls; buka berkas itu "
                "di Excel lalu simpan sebagai .xlsx."
            )
        elif kind in ("xlsx", "ods", "ole", "text"):
            hint = " " + _(
                "Ganti akhiran nama berkas sesuai isinya, atau simpan ulang dengan jenis yang benar."
            )
        raise FileRejected(
            _("Nama berkas berakhiran %(extension)s, tetapi isinya %(actual)s.")
            % {"extension": extension, "actual": actual}
            + hint
        )
    return kind
