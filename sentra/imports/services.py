"""Import writes: create a job, validate its file, commit it.

Two phases. `import_job_validate` reads the whole file, checks every row and stores a
report (`ImportIssue`) plus the valid rows; it writes nothing to the registry.
`import_job_commit` writes all valid rows in one transaction — every row or none — and
is idempotent: the same file twice changes nothing, and a record already in Sentra is
updated only when the incoming data are newer (`data_as_of`, SIDT's `updated_at`).
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import logging
import pickle
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import attrgetter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.permissions import can_edit_in
from sentra.audit.models import AuditEntry
from sentra.audit.services import audit_log_bulk, diff
from sentra.imports.layouts import (
    IGNORE,
    TARGETS,
    detect_layout,
    header_signature,
)
from sentra.imports.models import ImportIssue, ImportJob, JobStatus, MappingProfile
from sentra.imports.readers import FileRejected, max_bytes, read_table
from sentra.imports.validate import RowResult, RowValidator
from sentra.lib.bulk import fast_insert
from sentra.registry.models import Ikm, IkmSource, SourceKind
from sentra.registry.search_index import indexed_after_insert
from sentra.registry.services import AUDITED_FIELDS

logger = logging.getLogger(__name__)

BATCH = 2000
_DERIVED = ["kecamatan", "location_check", "workers_total", "scale", "search_text", "updated_at"]


class CommitAborted(Exception):
    """The commit wrote nothing; the message says why."""


# --- job creation -----------------------------------------------------------------------


@transaction.atomic
def import_job_create(
    *,
    actor,
    upload: UploadedFile | None = None,
    path: Path | None = None,
    kind: str,
    data_as_of: date | None = None,
    sheet_name: str = "",
) -> ImportJob:
    """Store an uploaded file (or a file on disk, for the command) as a new job."""
    from django.core.files import File

    if upload is not None:
        name, size = upload.name, upload.size
    else:
        assert path is not None
        name, size = path.name, path.stat().st_size
    if size > max_bytes():
        # Refused before hashing or storing it.
        return ImportJob.objects.create(
            created_by=_user(actor),
            original_name=name[:255],
            sha256="",
            size=size,
            kind=kind,
            data_as_of=data_as_of,
            sheet_name=sheet_name,
            status=JobStatus.REJECTED,
            error=(
                f"Berkas terlalu besar ({size / 1024 / 1024:.0f} MB); batasnya "
                f"{max_bytes() / 1024 / 1024:.0f} MB. Pecah berkas menjadi beberapa bagian, "
                "atau simpan sebagai .csv yang lebih ringkas."
            ),
        )
    digest = hashlib.sha256()
    if upload is not None:
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        content = upload
    else:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1024 * 1024), b""):
                digest.update(chunk)
        content = File(path.open("rb"), name=path.name)
    job = ImportJob(
        created_by=_user(actor),
        original_name=name[:255],
        sha256=digest.hexdigest(),
        size=size,
        kind=kind,
        data_as_of=data_as_of,
        sheet_name=sheet_name,
    )
    job.file.save(name, content, save=False)
    if upload is None:
        content.close()
    job.save()
    return job


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- validation -------------------------------------------------------------------------


def _progress(job: ImportJob, processed: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(processed=processed, updated_at=timezone.now())


def _resolve_mapping(job: ImportJob, header: list[str]) -> tuple[str, dict[str, str]] | None:
    if job.mapping:
        return ("profile" if job.profile_id else "manual"), job.mapping
    detected = detect_layout(header)
    if detected:
        return detected
    profile = (
        MappingProfile.objects.filter(signature=header_signature(header))
        .order_by("-created_at")
        .first()
    )
    if profile:
        job.profile = profile
        return "profile", {h: profile.mapping.get(h, IGNORE) for h in header}
    return None


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while an import holds its rows.

    100,000 rows are a few million live dicts, strings and model instances; every full
    collection walks all of them, so the collector's cost grows with the square of the
    file (at 100,000 rows the commit took 24 s instead of the 5 x 3 s of 20,000 rows).
    The import makes no reference cycles worth collecting meanwhile; reference counting
    still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_job_validate(*, job: ImportJob, progress: Callable | None = None) -> ImportJob:
    """Phase 1: read and check the whole file; store the report. Writes no IKM."""
    with _gc_paused():
        return _validate(job=job, progress=progress)


def _validate(*, job: ImportJob, progress: Callable | None) -> ImportJob:
    job.refresh_from_db()
    job.status = JobStatus.VALIDATING
    job.error = ""
    job.processed = 0
    job.save(update_fields=["status", "error", "processed", "updated_at"])
    ImportIssue.objects.filter(job=job).delete()
    _cache_path(job).unlink(missing_ok=True)
    try:
        table = read_table(
            Path(job.file.path), original_name=job.original_name, sheet=job.sheet_name
        )
    except FileRejected as exc:
        return _reject(job, str(exc))
    except BaseException as exc:  # a reader library may panic on a malformed file
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        logger.exception("import %s: reading failed", job.pk)
        return _reject(job, _UNREADABLE % type(exc).__name__)
    job.header, job.notes, job.total = table.header, table.notes, table.total
    job.sheet_name = table.sheet
    resolved = _resolve_mapping(job, table.header)
    if resolved is None:
        job.status = JobStatus.NEEDS_MAPPING
        job.save()
        return job
    job.layout, job.mapping = resolved
    if job.layout in ("sidt", "siinas"):
        job.kind = SourceKind(job.layout)  # the layout says where it came from
    missing = [
        str(TARGETS[key].label) for key in ("name", "_desa") if key not in set(job.mapping.values())
    ]
    if missing:
        return _reject(
            job,
            "Kolom wajib tidak ditemukan: " + ", ".join(missing) + ". Petakan kolomnya lalu "
            "periksa ulang.",
            status=JobStatus.NEEDS_MAPPING,
        )
    job.save()

    validator = RowValidator(header=table.header, mapping=job.mapping, actor=job.created_by)
    valid: list[RowResult] = []
    issues: list[ImportIssue] = []
    invalid_rows: set[int] = set()
    done = 0
    try:
        for row, cells in table.rows:
            result = validator.validate(row, cells, table.cell_issues)
            if result.errors:
                invalid_rows.add(row)
                issues.extend(
                    ImportIssue(job=job, row=row, column=c[:100], value=v[:200], message=m[:300])
                    for c, v, m in result.errors
                )
            else:
                valid.append(result)
            done += 1
            if done % 5000 == 0:
                _progress(job, done)
                if progress:
                    progress(done)
    except FileRejected as exc:
        return _reject(job, str(exc))
    except BaseException as exc:  # a reader failing halfway: report, never a server error
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        logger.exception("import %s: reading failed", job.pk)
        return _reject(job, _UNREADABLE % type(exc).__name__)
    if done == 0:
        return _reject(job, "Berkas hanya berisi judul kolom, tanpa baris data.")

    plan = plan_rows(job=job, rows=valid, actor=job.created_by)
    for row, column, value, message in plan.errors:
        invalid_rows.add(row)
        issues.append(
            ImportIssue(
                job=job, row=row, column=column[:100], value=value[:200], message=message[:300]
            )
        )
    ImportIssue.objects.bulk_create(issues, batch_size=5000)
    plan_ok = [r for r in valid if r.row not in invalid_rows]
    _cache_write(job, plan_ok)
    job.processed = job.total = done
    job.rows_valid = len(plan_ok)
    job.rows_invalid = len(invalid_rows)
    job.created_count = len(plan.creates)
    job.updated_count = len(plan.updates)
    job.unchanged_count = len(plan.unchanged)
    job.status = JobStatus.VALIDATED
    job.save()
    return job


_UNREADABLE = (
    "Berkas tidak dapat dibaca sampai habis (%s). Berkas mungkin rusak; simpan ulang dari "
    "Excel/LibreOffice lalu unggah lagi. Tidak ada data yang berubah."
)


def _reject(job: ImportJob, message: str, *, status: str = JobStatus.REJECTED) -> ImportJob:
    job.status = status
    job.error = message
    job.save()
    return job


# --- the valid rows between the two phases ---------------------------------------------
# Pickled for speed, signed so that only what this server wrote is ever unpickled.


def _cache_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "valid" / f"{job.pk}.pickle"


def _sign(data: bytes) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), data, hashlib.sha256).digest()


def _cache_write(job: ImportJob, rows: list[RowResult]) -> None:
    path = _cache_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = pickle.dumps(
        [(r.row, r.fields, r.external_id, r.sentra_id) for r in rows],
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    path.write_bytes(_sign(payload) + payload)


def _cache_read(job: ImportJob) -> list[RowResult] | None:
    path = _cache_path(job)
    if not path.exists():
        return None
    blob = path.read_bytes()
    signature, payload = blob[:32], blob[32:]
    if not hmac.compare_digest(signature, _sign(payload)):
        return None
    return [
        RowResult(row=row, fields=fields, external_id=ext, sentra_id=sid)
        for row, fields, ext, sid in pickle.loads(payload)
    ]


# --- matching incoming rows with the registry ------------------------------------------


@dataclass
class Plan:
    creates: list[RowResult] = field(default_factory=list)
    # (row, existing record with the new values set, changes for the audit trail)
    updates: list[tuple[RowResult, Ikm, dict]] = field(default_factory=list)
    unchanged: list[tuple[RowResult, int, str]] = field(default_factory=list)
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)


def _chunks(items: list, size: int = 5000) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan_rows(*, job: ImportJob, rows: list[RowResult], actor, lock: bool = False) -> Plan:
    """Decide for each valid row: new record, update of an existing one, or no change.

    An existing record is found by Sentra ID (Sentra's own export), by the source's ID
    (e.g. SIDT id_data_badan_usaha) or by NIB. Fuzzy duplicates are the linkage app's
    business, after the import.
    """
    plan = Plan()
    sentra_ids = {r.sentra_id for r in rows if r.sentra_id}
    external = {r.external_id for r in rows if r.external_id}
    nibs = {r.fields["nib"] for r in rows if r.fields.get("nib")}
    known_ids: set[int] = set()
    for chunk in _chunks(list(sentra_ids)):
        known_ids.update(Ikm.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    by_external: dict[str, int] = {}
    for chunk in _chunks(list(external)):
        for ext, pk in (
            IkmSource.objects.filter(kind=job.kind, external_id__in=chunk)
            .order_by("-pk")
            .values_list("external_id", "ikm_id")
        ):
            by_external[ext] = pk
    by_nib: dict[str, int] = {}
    for chunk in _chunks(list(nibs)):
        for nib, pk in Ikm.objects.filter(nib__in=chunk).order_by("-pk").values_list("nib", "pk"):
            by_nib[nib] = pk  # the oldest record wins when the registry holds duplicates

    seen_keys: dict[tuple[str, str], int] = {}
    seen_targets: dict[int, int] = {}
    matched: list[tuple[RowResult, int]] = []
    for r in rows:
        duplicate = None
        for key in (
            ("id_sentra", str(r.sentra_id or "")),
            ("id", r.external_id),
            ("NIB", r.fields.get("nib", "")),
        ):
            if key[1] and key in seen_keys:
                duplicate = (key, seen_keys[key])
                break
        if duplicate:
            (label, value), first = duplicate
            plan.errors.append(
                (r.row, "", value, f"{label} {value} sama dengan baris {first} di berkas ini.")
            )
            continue
        for key in (("id_sentra", str(r.sentra_id or "")), ("id", r.external_id)):
            if key[1]:
                seen_keys[key] = r.row
        if r.fields.get("nib"):
            seen_keys[("NIB", r.fields["nib"])] = r.row
        if r.sentra_id and r.sentra_id not in known_ids:
            plan.errors.append(
                (
                    r.row,
                    "",
                    str(r.sentra_id),
                    f"ID Sentra {r.sentra_id} tidak ada di sistem ini. Kosongkan kolom id_sentra "
                    "untuk menambahkannya sebagai IKM baru.",
                )
            )
            continue
        target = (
            r.sentra_id
            or by_external.get(r.external_id or "\0")
            or by_nib.get(r.fields.get("nib") or "\0")
        )
        if target is None:
            plan.creates.append(r)
            continue
        if target in seen_targets:
            plan.errors.append(
                (
                    r.row,
                    "",
                    "",
                    f"Baris ini dan baris {seen_targets[target]} cocok dengan IKM yang sama "
                    f"(ID Sentra {target}).",
                )
            )
            continue
        seen_targets[target] = r.row
        matched.append((r, target))

    existing: dict[int, Ikm] = {}
    for chunk in _chunks([pk for _row, pk in matched], 2000):
        qs = Ikm.objects.filter(pk__in=chunk)
        if lock:
            qs = qs.select_for_update()
        existing.update({ikm.pk: ikm for ikm in qs})
    for r, pk in matched:
        ikm = existing[pk]
        incoming = r.fields.get("data_as_of") or job.data_as_of
        if incoming is None:
            plan.unchanged.append((r, pk, "tanggal data tidak diketahui"))
            continue
        if ikm.data_as_of and incoming <= ikm.data_as_of:
            plan.unchanged.append((r, pk, "data di Sentra sama baru atau lebih baru"))
            continue
        if actor is not None and not can_edit_in(actor, ikm.kecamatan_id):
            plan.errors.append(
                (r.row, "", "", f"Anda tidak berwenang mengubah IKM {ikm.name} (ID {pk}).")
            )
            continue
        before = {name: getattr(ikm, attname) for name, attname in _AUDITED_ATTNAMES}
        for attname, value in r.fields.items():
            setattr(ikm, attname, value)
        ikm.data_as_of = incoming
        try:
            ikm.clean()
        except ValidationError as exc:
            plan.errors.append(
                (
                    r.row,
                    "",
                    "",
                    f"Bertentangan dengan data IKM ID {pk} yang sudah ada: "
                    + "; ".join(" ".join(map(str, m)) for m in exc.message_dict.values()),
                )
            )
            continue
        after = {name: getattr(ikm, attname) for name, attname in _AUDITED_ATTNAMES}
        changes = diff(before, after)
        plan.updates.append((r, ikm, changes))
    return plan


_AUDITED_ATTNAMES = [(name, Ikm._meta.get_field(name).attname) for name in AUDITED_FIELDS]


# --- commit -----------------------------------------------------------------------------


def _checkpoint(job: ImportJob, written: int) -> None:
    """Called after every batch written inside the commit transaction.

    Progress is not visible to other connections until the end (one transaction), so
    this only logs; tests replace it to simulate a crash in the middle of a commit.
    """
    logger.debug("import %s: %s rows written", job.pk, written)


_BLANK: dict[type, dict[str, Any]] = {}


def _instance(model: type[Model], fields: dict[str, Any]) -> Any:
    """An unsaved instance without Model.__init__, which at 100,000 rows costs more than
    the insert itself. Defaults come from one real instance; `fields` are attnames."""
    blank = _BLANK.get(model)
    if blank is None:
        blank = _BLANK[model] = {k: v for k, v in model().__dict__.items() if k != "_state"}
    obj = model.__new__(model)
    obj.__dict__.update(blank)
    obj.__dict__.update(fields)
    obj._state = ModelState()
    return obj


def _new_ikm(fields: dict[str, Any]) -> Ikm:
    return _instance(Ikm, fields)


_AS_IS = {str, int, bool}  # what _plain returns unchanged; checked first for speed


def _plain(value: Any) -> Any:
    # The display form audit.services.diff writes, for the few types an Ikm holds.
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _reference(job: ImportJob, row: int) -> str:
    return f"{job.original_name} › {job.sheet_name or 'CSV'} › baris {row}"[:300]


def import_job_commit(*, job: ImportJob, actor) -> ImportJob:
    """Phase 2: write every valid row, or none. Safe to call twice."""
    job.refresh_from_db()
    if job.status == JobStatus.COMMITTED:
        return job
    if job.status not in (JobStatus.VALIDATED, JobStatus.COMMIT_FAILED, JobStatus.COMMITTING):
        raise CommitAborted("Berkas belum selesai diperiksa; belum ada yang dapat disimpan.")
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.COMMITTING, updated_at=timezone.now()
    )
    try:
        with _gc_paused(), transaction.atomic():
            _commit(job=job, actor=actor)
    except Exception as exc:
        message = (
            str(exc)
            if isinstance(exc, CommitAborted)
            else (
                f"Penyimpanan gagal ({type(exc).__name__}); tidak ada data yang berubah. "
                "Coba simpan lagi; bila tetap gagal, hubungi admin."
            )
        )
        logger.exception("import %s: commit failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.COMMIT_FAILED, error=message, updated_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    from sentra.imports.tasks import find_import_duplicates

    # Its own task: the rows are saved and the job says so while the search runs (it
    # grows with the registry; 7–50 s for 100,000 new rows against 400,000).
    find_import_duplicates.enqueue(job.pk)
    job.refresh_from_db()
    return job


def import_job_find_duplicates(*, job: ImportJob) -> None:
    """After a commit: the new IKM's likely duplicates go to the review queue (/duplikat/).

    Outside the commit's transaction on purpose: a failure here loses no imported row,
    and the officer can still run the registry-wide pass from the review page.
    """
    from sentra.imports.selectors import import_job_ikm_ids
    from sentra.linkage.services import pairs_find_for

    try:
        found, new = pairs_find_for(ikm_ids=import_job_ikm_ids(job=job, action="create"))
    except Exception:
        logger.exception("import %s: duplicate search failed", job.pk)
        note = _("Pencarian duplikat gagal; jalankan dari halaman Duplikat.")
    else:
        if not found:
            return
        note = _(
            "%(found)s pasangan kemungkinan duplikat (%(new)s baru) menunggu tinjauan di "
            "halaman Duplikat."
        ) % {"found": found, "new": new}
    ImportJob.objects.filter(pk=job.pk).update(notes=[*job.notes, note])


def _commit(*, job: ImportJob, actor) -> dict:
    # Lock every job of the same file: two commits of one file run one after the other.
    same_file = list(ImportJob.objects.select_for_update().filter(sha256=job.sha256))
    earlier = [j for j in same_file if j.status == JobStatus.COMMITTED and j.pk != job.pk]
    job = next(j for j in same_file if j.pk == job.pk)
    if earlier:
        job.notes = [
            *job.notes,
            f"Berkas yang sama persis sudah disimpan lewat impor #{earlier[0].pk}; "
            "tidak ada yang diubah.",
        ]
        return _finish(job, created=0, updated=0, unchanged=job.rows_valid)

    rows = _cache_read(job)
    if rows is None:
        raise CommitAborted("Hasil pemeriksaan tidak ditemukan; periksa ulang berkas dulu.")
    plan = plan_rows(job=job, rows=rows, actor=actor, lock=True)
    if plan.errors:
        first = "; ".join(f"baris {row}: {msg}" for row, _, _, msg in plan.errors[:3])
        raise CommitAborted(
            "Data di Sentra berubah sejak berkas diperiksa, sehingga tidak ada yang disimpan "
            f"({first}). Periksa ulang berkas."
        )

    user = _user(actor)
    user_id = user.pk if user else None
    note = f"Impor #{job.pk}"
    today = timezone.localdate()
    now = timezone.now()
    entries: list[AuditEntry] = []
    sources: list[IkmSource] = []

    new = []
    for r in plan.creates:
        ikm = _new_ikm(r.fields)
        ikm.created_by_id = user_id
        if ikm.first_recorded_on is None:
            ikm.first_recorded_on = today
        if ikm.data_as_of is None:
            ikm.data_as_of = job.data_as_of
        ikm.refresh_derived()
        new.append(ikm)
    written = 0
    with indexed_after_insert(connection):
        for batch in _chunks(new, BATCH):
            fast_insert(Ikm, batch)
            written += len(batch)
            _checkpoint(job, written)
    audited = attrgetter(*[attname for _name, attname in _AUDITED_ATTNAMES])
    names = [name for name, _attname in _AUDITED_ATTNAMES]
    for r, ikm in zip(plan.creates, new, strict=True):
        reference = _reference(job, r.row)
        sources.append(
            _instance(
                IkmSource,
                {
                    "ikm_id": ikm.pk,
                    "kind": job.kind,
                    "reference": reference,
                    "external_id": r.external_id,
                },
            )
        )
        # As ikm_create records it: every field that has a value, from nothing.
        changes = {
            name: [None, value if type(value) in _AS_IS else _plain(value)]
            for name, value in zip(names, audited(ikm), strict=True)
            if value is not None and value != ""
        }
        entries.append(
            _instance(
                AuditEntry,
                {
                    "actor_id": user_id,
                    "action": "create",
                    "model": "registry.ikm",
                    "object_id": str(ikm.pk),
                    "object_repr": ikm.name[:200],
                    "changes": changes,
                    "source": reference,
                    "note": note,
                },
            )
        )

    changed_fields: set[str] = set()
    updated = []
    for r, ikm, changes in plan.updates:
        ikm.refresh_derived()
        ikm.updated_at = now
        changed_fields.update(changes)
        updated.append(ikm)
        reference = _reference(job, r.row)
        sources.append(
            IkmSource(ikm_id=ikm.pk, kind=job.kind, reference=reference, external_id=r.external_id)
        )
        entries.append(
            AuditEntry(
                actor=user,
                action="update",
                model="registry.ikm",
                object_id=str(ikm.pk),
                object_repr=ikm.name[:200],
                changes=changes,
                source=reference,
                note=note,
            )
        )
    if updated:
        update_fields = sorted(changed_fields | set(_DERIVED) | {"data_as_of"})
        for batch in _chunks(updated, 500):
            Ikm.objects.bulk_update(batch, update_fields)
            written += len(batch)
            _checkpoint(job, written)
    fast_insert(IkmSource, sources)
    audit_log_bulk(entries)
    return _finish(job, created=len(new), updated=len(updated), unchanged=len(plan.unchanged))


def _finish(job: ImportJob, *, created: int, updated: int, unchanged: int) -> dict:
    job.status = JobStatus.COMMITTED
    job.error = ""
    job.created_count, job.updated_count, job.unchanged_count = created, updated, unchanged
    job.committed_at = timezone.now()
    job.save()
    return {"created": created, "updated": updated, "unchanged": unchanged}


# --- mapping ----------------------------------------------------------------------------


@transaction.atomic
def import_job_set_mapping(
    *, job: ImportJob, actor, mapping: dict[str, str], profile_name: str = ""
) -> ImportJob:
    """Use this mapping for the job; with a name, also save it as a reusable profile."""
    clean = {h: (t if t in TARGETS else IGNORE) for h, t in mapping.items() if h in job.header}
    profile = None
    if profile_name:
        profile = MappingProfile.objects.create(
            name=profile_name[:100],
            kind=job.kind,
            mapping=clean,
            signature=header_signature(job.header),
            created_by=_user(actor),
        )
    job.mapping = clean
    job.profile = profile
    job.status = JobStatus.UPLOADED
    job.error = ""
    job.save()
    return job


def import_job_start_validation(*, job: ImportJob) -> None:
    """Queue phase 1 (after the job row is committed, so the worker can see it)."""
    from sentra.imports.tasks import validate_import

    if job.stale and job.status in (JobStatus.UPLOADED, JobStatus.VALIDATING):
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.UPLOADED, updated_at=timezone.now()
        )
    job_id = job.pk
    transaction.on_commit(lambda: validate_import.enqueue(job_id))


def import_job_request_commit(*, job: ImportJob, actor) -> ImportJob:
    """Queue phase 2; the job shows "being saved" at once."""
    from sentra.imports.tasks import commit_import

    job.refresh_from_db()
    retry = job.status == JobStatus.COMMITTING and job.stale
    if job.status not in (JobStatus.VALIDATED, JobStatus.COMMIT_FAILED) and not retry:
        raise CommitAborted("Berkas ini tidak dalam keadaan siap disimpan.")
    if job.rows_valid == 0:
        raise CommitAborted("Tidak ada baris yang sah untuk disimpan.")
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.COMMITTING, error="", updated_at=timezone.now()
    )
    job_id, actor_id = job.pk, getattr(actor, "pk", None)
    transaction.on_commit(lambda: commit_import.enqueue(job_id, actor_id))
    job.refresh_from_db()
    return job


# --- retention ---------------------------------------------------------------------------

FINISHED = {JobStatus.COMMITTED, JobStatus.REJECTED, JobStatus.COMMIT_FAILED, JobStatus.VALIDATED}


def import_files_purge(*, older_than_days: int, now=None) -> int:
    """Delete uploaded files (and their validated rows) of jobs that ended more than
    `older_than_days` ago; returns how many jobs lost their file.

    An uploaded file is a copy of somebody's list with NIK and phone numbers: it is kept
    only while the office may still need it (to re-download the row report). The job,
    its row report, each record's provenance (file name, sheet, row) and the audit trail
    stay.
    """
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    expired = list(
        ImportJob.objects.filter(status__in=FINISHED, updated_at__lt=cutoff).exclude(file="")
    )
    for job in expired:
        job.file.delete(save=False)
        _cache_path(job).unlink(missing_ok=True)
    # update(), not save(): updated_at keeps the date the job ended.
    ImportJob.objects.filter(pk__in=[j.pk for j in expired]).update(file="")
    if expired:
        logger.info("import files purged: %s jobs", len(expired))
    return len(expired)
