"""Phase 2: write every valid row through the registry's bulk write, or none."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sentra.imports.models import ImportJob, JobStatus
from sentra.imports.selectors import COMMIT_PLANNING, COMMIT_WRITING, progress_key
from sentra.imports.services.errors import CommitAborted
from sentra.imports.services.planning import Planner
from sentra.imports.services.staging import (
    StagingMissing,
    StagingOld,
    gc_paused,
    staged_batches,
)
from sentra.lib.progress import board_report, board_start
from sentra.registry.models import is_nib_conflict
from sentra.registry.services import (
    BulkCreate,
    BulkUpdate,
    ikm_bulk_scope,
    ikm_bulk_write,
)

logger = logging.getLogger(__name__)

# --- commit -----------------------------------------------------------------------------


def _checkpoint(job: ImportJob, written: int) -> None:
    """Called after every batch written inside the commit transaction.

    Progress is not visible to other connections until the end (one transaction), so it
    goes to the progress board; tests replace it to simulate a crash in a commit.
    """
    logger.debug("import %s: %s rows written", job.pk, written)
    board_report(progress_key(job), done=written)


def _written(job: ImportJob, offset: int, written: int) -> None:
    # ikm_bulk_write counts a batch's rows; the board counts the whole commit's.
    _checkpoint(job, offset + written)


def _reference(job: ImportJob, row: int) -> str:
    return f"{job.original_name} › {job.sheet_name or 'CSV'} › baris {row}"[:300]


def import_job_commit(*, job: ImportJob, actor: Any) -> ImportJob:
    """Phase 2: write every valid row, or none. Safe to call twice."""
    job.refresh_from_db()
    if job.status == JobStatus.COMMITTED:
        return job
    if job.status not in (JobStatus.VALIDATED, JobStatus.COMMIT_FAILED, JobStatus.COMMITTING):
        raise CommitAborted("Berkas belum selesai diperiksa; belum ada yang dapat disimpan.")
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.COMMITTING, updated_at=timezone.now()
    )
    board_start(progress_key(job), stage=COMMIT_PLANNING)
    try:
        with gc_paused(), transaction.atomic():
            _commit(job=job, actor=actor)
    except Exception as exc:
        message = (
            str(exc)
            if isinstance(exc, CommitAborted)
            else _(
                "Sebuah NIB di berkas ini baru saja disimpan untuk IKM lain (impor atau "
                "pengguna lain pada saat yang sama); tidak ada data yang berubah. Simpan lagi: "
                "baris itu kini memperbarui IKM tersebut."
            )
            # fast_insert writes through the driver: its own UniqueViolation, not Django's.
            if is_nib_conflict(exc)
            else (
                _(
                    "Penyimpanan gagal (%(error)s); tidak ada data yang berubah. Coba simpan "
                    "lagi; bila tetap gagal, hubungi admin."
                )
                % {"error": type(exc).__name__}
            )
        )
        logger.exception("import %s: commit failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.COMMIT_FAILED, error=message, updated_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    job.refresh_from_db()
    return job


def import_job_mark_committing(*, job: ImportJob) -> ImportJob:
    """Phase 2 is requested: the job shows "being saved" at once (imports.tasks queues
    the work after the request's transaction)."""
    job.refresh_from_db()
    retry = job.status == JobStatus.COMMITTING and job.stale
    if job.status not in (JobStatus.VALIDATED, JobStatus.COMMIT_FAILED) and not retry:
        raise CommitAborted(_("Berkas ini tidak dalam keadaan siap disimpan."))
    if job.rows_valid == 0:
        raise CommitAborted(_("Tidak ada baris yang sah untuk disimpan."))
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.COMMITTING, error="", updated_at=timezone.now()
    )
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


def _commit(*, job: ImportJob, actor: Any) -> dict[str, Any]:
    # Lock every job of the same file: two commits of one file run one after the other.
    same_file = list(ImportJob.objects.select_for_update().filter(sha256=job.sha256))
    earlier = [j for j in same_file if j.status == JobStatus.COMMITTED and j.pk != job.pk]
    job = next(j for j in same_file if j.pk == job.pk)
    if earlier:
        job.notes = [
            *job.notes,
            _("Berkas yang sama persis sudah disimpan lewat impor #%(job)s; tidak ada yang diubah.")
            % {"job": earlier[0].pk},
        ]
        return _finish(job, created=0, updated=0, unchanged=job.rows_valid)

    try:
        batches = staged_batches(job)
    except StagingOld:
        raise CommitAborted(
            _(
                "Hasil pemeriksaan berkas ini disimpan oleh versi Sentra sebelumnya; periksa "
                "ulang berkas dulu."
            )
        ) from None
    except StagingMissing:
        raise CommitAborted(_NOT_FOUND) from None
    # Batch by batch, as validation staged them, inside the one transaction: a batch is
    # planned against the registry (its records locked), then written.
    planner = Planner(job=job, actor=actor, lock=True)
    board_start(
        progress_key(job), stage=COMMIT_WRITING, total=job.created_count + job.updated_count
    )
    created = updated = unchanged = written = 0
    ikm_of_row: dict[int, int] = {}
    pairs: list[tuple[int, int]] = []
    try:
        with ikm_bulk_scope(creates=job.created_count):
            for rows in batches:
                plan = planner.plan(rows)
                if plan.errors:
                    first = "; ".join(
                        _("baris %(row)s: %(message)s") % {"row": row, "message": msg}
                        for row, _column, _value, msg in plan.errors[:3]
                    )
                    raise CommitAborted(
                        _(
                            "Data di Sentra berubah sejak berkas diperiksa, sehingga tidak ada yang "
                            "disimpan (%(first)s). Periksa ulang berkas."
                        )
                        % {"first": first}
                    )
                offset = written
                new = ikm_bulk_write(
                    actor=actor,
                    creates=[
                        BulkCreate(
                            fields=r.fields,
                            reference=_reference(job, r.row),
                            external_id=r.external_id,
                        )
                        for r in plan.creates
                    ],
                    updates=[
                        BulkUpdate(
                            ikm=ikm,
                            changes=changes,
                            reference=_reference(job, r.row),
                            external_id=r.external_id,
                        )
                        for r, ikm, changes in plan.updates
                    ],
                    source_kind=job.kind,
                    note=f"Impor #{job.pk}",
                    data_as_of=job.data_as_of,
                    import_job_id=job.pk,
                    checkpoint=partial(_written, job, offset),
                )
                written += len(new) + len(plan.updates)
                ikm_of_row.update({r.row: ikm.pk for r, ikm in zip(plan.creates, new, strict=True)})
                ikm_of_row.update({r.row: ikm.pk for r, ikm, _changes in plan.updates})
                # Rows that repeated an earlier row's NIB: that row is in this batch or before.
                pairs.extend(
                    (ikm_of_row[r.same_as], ikm_of_row[r.row])
                    for r in plan.creates
                    if r.same_as and r.same_as in ikm_of_row
                )
                created += len(new)
                updated += len(plan.updates)
                unchanged += len(plan.unchanged)
    except StagingMissing:
        raise CommitAborted(_NOT_FOUND) from None
    _queue_same_file_pairs(pairs)
    return _finish(job, created=created, updated=updated, unchanged=unchanged)


_NOT_FOUND = _lazy("Hasil pemeriksaan tidak ditemukan; periksa ulang berkas dulu.")


def _queue_same_file_pairs(pairs: list[tuple[int, int]]) -> None:
    """Rows that repeated an earlier row's NIB go to the duplicate review beside it:
    (the earlier row's IKM, the repeating row's IKM)."""
    from sentra.linkage.engine import Match
    from sentra.linkage.services import pairs_store

    evidence = {"nib": {"level": "sama (dua baris satu berkas)", "weight": 20.0}}
    matches = [
        Match(left=left, right=right, probability=1.0, weight=20.0, evidence=evidence)
        for left, right in pairs
    ]
    if matches:
        pairs_store(matches=matches)


def _finish(job: ImportJob, *, created: int, updated: int, unchanged: int) -> dict[str, Any]:
    job.status = JobStatus.COMMITTED
    job.error = ""
    job.created_count, job.updated_count, job.unchanged_count = created, updated, unchanged
    job.committed_at = timezone.now()
    job.save()
    return {"created": created, "updated": updated, "unchanged": unchanged}
