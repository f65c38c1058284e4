"""An attendance list (daftar hadir) as a clerk types it, matched to the registry.

The file is read by the import readers (title rows, a two-row header, totals and the
signature block below the data are theirs to handle), its columns guessed from the
header words by `imports.header_guess`, and each row matched to the registry by the
linkage engine through `linkage.matching`, as the exhibition sign-up matches an
applicant. Three steps, so the engine runs in the background (`coaching.tasks`):
`attendance_read` (in the request: a refused file is said at once), `attendance_propose`
(the engine, in the task; its result is stored on the `AttendanceRun`) and
`attendance_review` (the confirmation page, for the viewer: reasons and masking are
decided when the page is read). Nothing is written here: the officer confirms the rows,
and the confirmed IKM are added by `services.activity_add_participants`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
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
# An attendance list is the people of one activity, a city-wide event's at most; a file
# longer than this is a registry, for the import. (The engine itself is not the limit:
# the rows are matched in the background.)
MAX_ROWS = 10_000

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


@dataclass
class AttendanceFile:
    """The people of an uploaded list, as read: `rows` are (row number, typed)."""

    rows: list[tuple[int, dict[str, str]]]
    columns: dict[str, str]
    notes: list[str]


def _read(path: Path, original_name: str) -> AttendanceFile:
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
                % {"n": number_format(MAX_ROWS, force_grouping=True)}
            )
    notes = list(table.notes) + (table.skipped.notes() if table.skipped else [])
    return AttendanceFile(rows=rows, columns=columns, notes=[str(n) for n in notes])


def attendance_read(upload: UploadedFile) -> AttendanceFile:
    """Read an uploaded attendance list. Raises FileRejected with the reason when the
    file cannot be read as a list of people."""
    if upload.size and upload.size > max_bytes():
        raise FileRejected(too_large_message(upload.size))
    suffix = Path(upload.name or "").suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        return _read(Path(handle.name), upload.name or "")


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


def attendance_propose(
    typed_rows: list[dict[str, str]],
    *,
    registry: list[dict] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> list[dict[str, Any]]:
    """The engine's best registry IKM for each row (in order): {"ikm_id",
    "probability", "evidence"}, or {} when none reaches PROPOSE_THRESHOLD or the row
    names nobody. One engine run for the whole list. `registry` (engine records) is for
    tests; the active registry otherwise. `progress` hears the engine's stage and
    percent."""
    areas = AreaMatcher()
    records = [_record(typed, areas) for typed in typed_rows]
    named = [i for i, r in enumerate(records) if r.get("owner_name") or r.get("name")]
    found = registry_matches(
        [records[i] for i in named],
        threshold=PROPOSE_THRESHOLD,
        registry=registry,
        progress=progress,
    )
    out: list[dict[str, Any]] = [{} for _r in typed_rows]
    for i, matches in zip(named, found, strict=True):
        if matches:
            best = matches[0]
            out[i] = {
                "ikm_id": best.ikm_id,
                "probability": best.probability,
                "evidence": best.evidence,
            }
    return out


def attendance_review(
    *,
    rows: list[dict[str, Any]],
    result: list[dict[str, Any]],
    columns: dict[str, str],
    notes: list[str],
    activity: Activity,
    viewer: Any,
) -> AttendanceMatch:
    """The confirmation page's rows for `viewer`: the stored proposals (`result`, one
    per row of `rows`) with what the viewer may tick and see, decided now (a row added
    meanwhile shows as already a participant)."""
    best = {i: r for i, r in enumerate(result) if r.get("ikm_id")}
    ikms = Ikm.objects.select_related("desa").in_bulk([r["ikm_id"] for r in best.values()])
    already = set(activity.participants.filter(pk__in=list(ikms)).values_list("pk", flat=True))
    first_row_of: dict[int, int] = {}
    out = []
    for i, item in enumerate(rows):
        number, typed = item["row"], item["typed"]
        row = AttendanceRow(
            row=number, typed={k: v for k, v in typed.items() if not k.startswith("_")}
        )
        if typed.get("_desa"):
            row.typed["address"] = ", ".join(
                v for v in (typed.get("address", ""), typed["_desa"]) if v
            )
        match = best.get(i)
        ikm = ikms.get(match["ikm_id"]) if match else None
        if not (typed.get("owner_name") or typed.get("name")):
            row.reason = str(NO_NAME)
        elif match is None or ikm is None:
            row.reason = str(NOT_FOUND)
        else:
            probability = float(match["probability"])
            row.ikm, row.probability = ikm, probability
            evidence = evidence_rows(match.get("evidence") or {})
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
            elif probability < TICK_THRESHOLD:
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


def attendance_match(
    *, upload: UploadedFile, activity: Activity, viewer: Any, registry: list[dict] | None = None
) -> AttendanceMatch:
    """Read, propose and review in one go (tests, scripts): what the background run
    stores and the page shows, for a list at hand."""
    read = attendance_read(upload)
    rows = [{"row": n, "typed": typed} for n, typed in read.rows]
    result = attendance_propose([typed for _n, typed in read.rows], registry=registry)
    return attendance_review(
        rows=rows,
        result=result,
        columns=read.columns,
        notes=read.notes,
        activity=activity,
        viewer=viewer,
    )
