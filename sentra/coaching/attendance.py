"""An attendance list (daftar hadir) as a clerk types it, matched to the registry.

The file is read by the import readers (title rows, a two-row header, totals and the
signature block below the data are theirs to handle), its columns guessed from the
header words by `imports.header_guess`, and each row matched to the registry by the
linkage engine through `linkage.matching`, as the exhibition sign-up matches an
applicant. Nothing is written here: the officer confirms the rows on a page, and the
confirmed IKM are added by `services.activity_add_participants`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.accounts.permissions import can_manage_participant, mask
from sentra.coaching.models import Activity
from sentra.imports.areas_match import AreaMatcher
from sentra.imports.header_guess import guess_mapping
from sentra.imports.readers import read_table
from sentra.imports.readers.base import FileRejected, cell_text, max_bytes, too_large_message
from sentra.imports.targets import norm_header
from sentra.linkage.matching import registry_matches
from sentra.linkage.selectors import evidence_rows
from sentra.registry.models import Ikm

# The engine's pairs from "possible" upwards are shown; only those it is quite sure of
# (the exhibition sign-up's bar) are ticked beforehand. The officer decides the rest.
PROPOSE_THRESHOLD = 0.5
TICK_THRESHOLD = 0.9
MAX_ROWS = 500  # an attendance list is one room of people, not a registry

# Fields of a list that the engine compares; the guess may name others (ignored here).
_USED = ("owner_name", "name", "owner_phone", "address", "_desa")
_BUSINESS_WORDS = {"usaha", "perusahaan", "ikm", "umkm", "toko", "produk", "merek"}
_PLACE_WORDS = {"alamat", "desa", "kelurahan", "banjar", "asal", "domisili"}

NO_NAME = gettext_lazy("Baris tanpa nama peserta.")
NOT_FOUND = gettext_lazy("Tidak ditemukan di registri IKM.")
UNSURE = gettext_lazy("Kemiripan belum meyakinkan: periksa sebelum mencentang.")
ALREADY = gettext_lazy("Sudah menjadi peserta kegiatan ini.")
OUTSIDE = gettext_lazy("IKM di luar kecamatan tugas Anda: petugas kecamatannya yang menambahkan.")
REPEATED = gettext_lazy("IKM yang sama dengan baris %(row)s.")
COLUMN_LABELS = {
    "owner_name": gettext_lazy("nama peserta (pemilik)"),
    "name": gettext_lazy("nama usaha"),
    "owner_phone": gettext_lazy("nomor HP"),
    "address": gettext_lazy("alamat"),
    "_desa": gettext_lazy("desa/kelurahan"),
}


@dataclass
class AttendanceRow:
    """One person of the list: what the clerk typed and the IKM proposed for them."""

    row: int  # the row number as the spreadsheet shows it
    typed: dict[str, str]  # owner_name, name, owner_phone, address as typed
    ikm: Ikm | None = None
    probability: float | None = None
    evidence: list[dict] = field(default_factory=list)  # evidence for, strongest first
    against: list[dict] = field(default_factory=list)
    reason: str = ""  # why it is not ticked beforehand (blank when it is)
    ticked: bool = False
    selectable: bool = False
    personal: dict[str, Any] = field(default_factory=dict)  # the IKM's, masked per role


@dataclass
class AttendanceMatch:
    rows: list[AttendanceRow]
    columns: dict[str, str]  # header → field used
    notes: list[str]

    @property
    def column_labels(self) -> list[tuple[str, str]]:
        return [(h, str(COLUMN_LABELS[t])) for h, t in self.columns.items()]

    @property
    def matched(self) -> list[AttendanceRow]:
        return [r for r in self.rows if r.ikm is not None]

    @property
    def unmatched(self) -> list[AttendanceRow]:
        return [r for r in self.rows if r.ikm is None]


def attendance_columns(header: list[str]) -> dict[str, str]:
    """Header → field for the columns a list of people has. The import's guess first
    ("Nama Usaha", "No. HP", "Desa"); an attendance list's own words after it: a bare
    "Nama" or "Nama Peserta" is the person, "Alamat/Desa" or "Asal" is where they live.
    "No.", "Tanda Tangan", "Jabatan" and the like are left out."""
    guessed = guess_mapping(header)
    out: dict[str, str] = {}
    for h in header:
        target = guessed.get(h, "")
        words = set(norm_header(h).split("_")) - {""}
        if target not in _USED:
            if "nama" in words and not words & _BUSINESS_WORDS:
                target = "owner_name"
            elif words & _PLACE_WORDS:
                target = "address"
            else:
                continue
        if target in out.values() and target != "address":
            continue  # the first "Nama" column is the person; a second is not
        out[h] = target
    return out


def _text(value: Any) -> str:
    # A phone typed as a number arrives as 81234567890 (or 81234567890.0 from some
    # writers): the digits, not the float's text.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return cell_text(value)


def _read(path: Path, original_name: str) -> tuple[list[tuple[int, dict[str, str]]], dict, list]:
    table = read_table(path, original_name=original_name)
    columns = attendance_columns(table.header)
    if "owner_name" not in columns.values() and "name" not in columns.values():
        raise FileRejected(
            _(
                "Kolom nama peserta tidak ditemukan. Judul kolom yang ada: %(header)s. "
                "Beri judul “Nama” pada kolom nama peserta."
            )
            % {"header": ", ".join(h for h in table.header if h) or "–"}
        )
    index = {h: i for i, h in enumerate(table.header)}
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in table.rows:
        typed = {"owner_name": "", "name": "", "owner_phone": "", "address": "", "_desa": ""}
        for h, target in columns.items():
            i = index[h]
            value = _text(cells[i]) if i < len(cells) else ""
            if value:
                typed[target] = f"{typed[target]}, {value}" if typed[target] else value
        if not any(typed.values()):
            continue  # a blank row between people
        rows.append((number, typed))
        if len(rows) > MAX_ROWS:
            raise FileRejected(
                _("Daftar hadir lebih dari %(n)s baris; pecah menjadi beberapa berkas.")
                % {"n": MAX_ROWS}
            )
    notes = list(table.notes) + (table.skipped.notes() if table.skipped else [])
    return rows, columns, notes


def _record(typed: dict[str, str], areas: AreaMatcher) -> dict[str, str]:
    """A row as the engine sees a sign-up (`exhibitions.services.signup_submit`)."""
    record = {k: typed[k] for k in ("name", "owner_name", "owner_phone") if typed[k]}
    address = ", ".join(v for v in (typed["address"], typed["_desa"]) if v)
    if address:
        record["address"] = address
    if typed["_desa"]:
        desa = areas.match_desa(typed["_desa"])
        if desa.code:
            record["desa_id"] = desa.code
    return record


def attendance_match(
    *, upload: UploadedFile, activity: Activity, viewer, registry: list[dict] | None = None
) -> AttendanceMatch:
    """Read an uploaded attendance list and propose an IKM for each person on it.

    Raises FileRejected with the reason when the file cannot be read as a list of
    people. `registry` (engine records) is for tests; the active registry otherwise."""
    if upload.size and upload.size > max_bytes():
        raise FileRejected(too_large_message(upload.size))
    suffix = Path(upload.name or "").suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        rows, columns, notes = _read(Path(handle.name), upload.name or "")
    areas = AreaMatcher()
    records = [_record(typed, areas) for _n, typed in rows]
    named = [i for i, r in enumerate(records) if r.get("owner_name") or r.get("name")]
    found = registry_matches(
        [records[i] for i in named], threshold=PROPOSE_THRESHOLD, registry=registry
    )
    best = {i: matches[0] for i, matches in zip(named, found, strict=True) if matches}
    ikms = Ikm.objects.select_related("desa").in_bulk([m.ikm_id for m in best.values()])
    already = set(activity.participants.filter(pk__in=list(ikms)).values_list("pk", flat=True))
    first_row_of: dict[int, int] = {}
    out = []
    for i, (number, typed) in enumerate(rows):
        row = AttendanceRow(
            row=number, typed={k: v for k, v in typed.items() if not k.startswith("_")}
        )
        if typed["_desa"]:
            row.typed["address"] = ", ".join(v for v in (typed["address"], typed["_desa"]) if v)
        match = best.get(i)
        ikm = ikms.get(match.ikm_id) if match else None
        if i not in named:
            row.reason = str(NO_NAME)
        elif match is None or ikm is None:
            row.reason = str(NOT_FOUND)
        else:
            row.ikm, row.probability = ikm, match.probability
            evidence = evidence_rows(match.evidence)
            row.evidence, row.against = evidence["for"], evidence["against"]
            row.personal = mask(viewer, ikm)
            allowed = can_manage_participant(viewer, ikm.kecamatan_id)
            row.selectable = ikm.pk not in already and allowed
            if ikm.pk in already:
                row.reason = str(ALREADY)
            elif not allowed:
                row.reason = str(OUTSIDE)
            elif ikm.pk in first_row_of:
                row.reason = str(REPEATED) % {"row": first_row_of[ikm.pk]}
            elif match.probability < TICK_THRESHOLD:
                row.reason = str(UNSURE)
            else:
                row.ticked = True
            first_row_of.setdefault(ikm.pk, number)
        # What the clerk typed is personal too: shown as the proposed IKM's kecamatan
        # allows, and masked when there is none (an unknown person's number).
        kecamatan = ikm.kecamatan_id if ikm else None
        row.typed = mask(viewer, row.typed, kecamatan_code=kecamatan)
        out.append(row)
    return AttendanceMatch(rows=out, columns=columns, notes=notes)
