"""Phase 1: read and check the whole file batch by batch, store the report; writes no IKM."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.imports.header_guess import guess_mapping
from sentra.imports.layouts import detect_layout, header_signature
from sentra.imports.models import ImportIssue, ImportJob, JobStatus, MappingProfile, Severity
from sentra.imports.readers import read_table
from sentra.imports.readers.base import FileRejected
from sentra.imports.selectors import progress_key
from sentra.imports.services.planning import Planner
from sentra.imports.services.staging import BATCH_ROWS, StagingWriter, _cache_path, gc_paused
from sentra.imports.targets import IGNORE, TARGETS
from sentra.imports.validate import RowResult, RowValidator
from sentra.lib.bulk import unsaved
from sentra.lib.progress import board_start
from sentra.registry.models import SourceKind

logger = logging.getLogger(__name__)

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
    # Any other layout: the header words say what each column is. It runs without asking
    # when the guess finds what a row needs (the name and its place); the report lists
    # the mapping used, and the person can still change it and check again.
    guessed = guess_mapping(header)
    targets = set(guessed.values())
    if "name" in targets and "_desa" in targets:
        return "guessed", guessed
    return None


def import_job_validate(
    *, job: ImportJob, progress: Callable[[int], None] | None = None
) -> ImportJob:
    """Phase 1: read and check the whole file; store the report. Writes no IKM."""
    with gc_paused():
        return _validate(job=job, progress=progress)


def _validate(*, job: ImportJob, progress: Callable[[int], None] | None) -> ImportJob:
    job.refresh_from_db()
    job.status = JobStatus.VALIDATING
    job.error = ""
    job.processed = 0
    job.save(update_fields=["status", "error", "processed", "updated_at"])
    board_start(progress_key(job), stage=JobStatus.VALIDATING)
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
            _("Kolom wajib tidak ditemukan: %(columns)s. Petakan kolomnya lalu periksa ulang.")
            % {"columns": ", ".join(missing)},
            status=JobStatus.NEEDS_MAPPING,
        )
    job.save()

    validator = RowValidator(header=table.header, mapping=job.mapping, actor=job.created_by)
    # Batch by batch: each batch of valid rows is planned (matched with the registry and
    # with the file's earlier rows), its issues written and its rows staged for the
    # commit, so that only one batch of results is held at a time.
    planner = Planner(job=job, actor=job.created_by)
    staging = StagingWriter(job)
    counts = _Counts()
    batch: list[RowResult] = []
    issues: list[ImportIssue] = []
    done = 0
    try:
        for row, cells in table.rows:
            result = validator.validate(row, cells, table.cell_issues)
            if result.errors:
                counts.invalid += 1
                issues.extend(_issue(job, row, c, v, m) for c, v, m in result.errors)
            else:
                batch.append(result)
                issues.extend(
                    _issue(job, row, c, v, m, Severity.WARNING) for c, v, m in result.warnings
                )
            done += 1
            if len(batch) >= BATCH_ROWS:
                _decide(job, planner, batch, issues, staging, counts)
                batch = []
            if len(issues) >= _ISSUES_BATCH:
                ImportIssue.objects.bulk_create(issues, batch_size=_ISSUES_BATCH)
                issues = []
            if done % 5000 == 0:
                _progress(job, done)
                if progress:
                    progress(done)
        _decide(job, planner, batch, issues, staging, counts)
    except FileRejected as exc:
        return _reject(job, str(exc), staging=staging)
    except BaseException as exc:  # a reader failing halfway: report, never a server error
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            staging.discard()
            raise
        logger.exception("import %s: reading failed", job.pk)
        return _reject(job, _UNREADABLE % type(exc).__name__, staging=staging)
    if done == 0:
        return _reject(
            job, _("Berkas hanya berisi judul kolom, tanpa baris data."), staging=staging
        )
    job.notes = [
        *job.notes,
        *(table.skipped.notes() if table.skipped else []),
        *validator.unit_notes,
        *_mapping_notes(job),
    ]
    ImportIssue.objects.bulk_create(issues, batch_size=_ISSUES_BATCH)
    staging.close()
    job.processed = job.total = done
    job.rows_valid = counts.valid
    job.rows_invalid = counts.invalid
    job.rows_warning = counts.warning
    job.created_count = counts.created
    job.updated_count = counts.updated
    job.unchanged_count = counts.unchanged
    job.status = JobStatus.VALIDATED
    job.save()
    return job


_ISSUES_BATCH = 5000


def _issue(
    job: ImportJob, row: int, column: str, value: str, message: str, severity: str = Severity.ERROR
) -> ImportIssue:
    # Built without Model.__init__: a file with a warning on every row has as many issues.
    return unsaved(
        ImportIssue,
        {
            "job_id": job.pk,
            "severity": severity,
            "row": row,
            "column": column[:100],
            "value": value[:200],
            "message": message[:300],
        },
    )


@dataclass
class _Counts:
    valid: int = 0
    invalid: int = 0
    warning: int = 0  # rows accepted with a warning
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _decide(
    job: ImportJob,
    planner: Planner,
    batch: list[RowResult],
    issues: list[ImportIssue],
    staging: StagingWriter,
    counts: _Counts,
) -> None:
    """Plan one batch of valid rows: its errors and warnings join `issues`, the rows
    that pass are staged, the counts grow."""
    if not batch:
        return
    plan = planner.plan(batch)
    invalid_rows: set[int] = set()
    warned_rows = {r.row for r in batch if r.warnings}
    for row, column, value, message in plan.errors:
        invalid_rows.add(row)
        issues.append(_issue(job, row, column, value, message))
    for row, column, value, message in plan.warnings:
        warned_rows.add(row)
        issues.append(_issue(job, row, column, value, message, Severity.WARNING))
    plan_ok = [r for r in batch if r.row not in invalid_rows]
    staging.write(plan_ok)
    counts.valid += len(plan_ok)
    counts.invalid += len(invalid_rows)
    counts.warning += len(warned_rows - invalid_rows)
    counts.created += len(plan.creates)
    counts.updated += len(plan.updates)
    counts.unchanged += len(plan.unchanged)


def _mapping_notes(job: ImportJob) -> list[str]:
    """The mapping used, in words: a guessed one must be visible to be trusted."""
    if job.layout != "guessed":
        return []
    used = [
        f"{header} → {TARGETS[target].label}"
        for header, target in job.mapping.items()
        if target in TARGETS
    ]
    unused = [header for header, target in job.mapping.items() if target not in TARGETS]
    notes = [_("Pemetaan kolom ditebak dari judul kolom: %(used)s.") % {"used": "; ".join(used)}]
    if unused:
        notes.append(_("Kolom tidak dipakai: %(columns)s.") % {"columns": ", ".join(unused)})
    return notes


class _Unreadable:
    def __mod__(self, error: str) -> str:
        return _(
            "Berkas tidak dapat dibaca sampai habis (%(error)s). Berkas mungkin rusak; simpan "
            "ulang dari Excel/LibreOffice lalu unggah lagi. Tidak ada data yang berubah."
        ) % {"error": error}


_UNREADABLE = _Unreadable()


def _reject(
    job: ImportJob,
    message: str,
    *,
    status: str = JobStatus.REJECTED,
    staging: StagingWriter | None = None,
) -> ImportJob:
    if staging is not None:
        # Rejected halfway: the batches already decided leave nothing behind.
        staging.discard()
        ImportIssue.objects.filter(job=job).delete()
    job.status = status
    job.error = message
    job.save()
    return job
