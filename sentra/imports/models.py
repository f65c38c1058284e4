"""Import jobs: one uploaded file, validated as a whole, then committed as a whole."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sentra.registry.models import SourceKind


class MappingProfile(models.Model):
    """A saved column mapping for a layout Sentra does not know by itself.

    `signature` is the folded, sorted header of the file it was made for: a later file
    with the same columns (in any order) gets this mapping without asking again.
    """

    name = models.CharField(_("nama profil"), max_length=100)
    kind = models.CharField(_("jenis sumber"), max_length=10, choices=SourceKind.choices)
    # {"header as in the file": "target", ...}; targets are listed in sentra.imports.targets.
    mapping = models.JSONField(_("pemetaan kolom"), default=dict)
    signature = models.CharField(max_length=64, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("profil pemetaan kolom")
        verbose_name_plural = _("profil pemetaan kolom")

    def __str__(self) -> str:
        return self.name


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Diunggah, menunggu diperiksa")
    VALIDATING = "validating", _("Sedang diperiksa")
    NEEDS_MAPPING = "mapping", _("Perlu pemetaan kolom")
    VALIDATED = "validated", _("Selesai diperiksa")
    REJECTED = "rejected", _("Berkas ditolak")
    COMMITTING = "committing", _("Sedang disimpan")
    COMMITTED = "committed", _("Sudah disimpan")
    COMMIT_FAILED = "commit_failed", _("Gagal disimpan, tidak ada yang berubah")


IN_PROGRESS = {JobStatus.UPLOADED, JobStatus.VALIDATING, JobStatus.COMMITTING}


def _upload_to(job: ImportJob, filename: str) -> str:
    # The stored name is ours; the person's file name is kept in original_name.
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"imports/{job.sha256[:2]}/{job.sha256}.{suffix}"


class ImportJob(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    file = models.FileField(_("berkas"), upload_to=_upload_to, max_length=300)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"), default=0)
    kind = models.CharField(_("jenis sumber"), max_length=10, choices=SourceKind.choices)
    # The date the file's figures describe, used when the file has no date column.
    data_as_of = models.DateField(_("data per tanggal"), null=True, blank=True)
    sheet_name = models.CharField(_("lembar"), max_length=100, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.UPLOADED
    )
    layout = models.CharField(_("tata letak"), max_length=20, blank=True)
    header = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    profile = models.ForeignKey(
        MappingProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    # A file-level problem (empty, corrupt, password, too large…): nothing was read.
    error = models.TextField(_("kesalahan berkas"), blank=True)
    # Remarks that do not stop the import (which sheet was read, hidden sheets…).
    notes = models.JSONField(default=list, blank=True)

    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(_("baris sah"), default=0)
    rows_invalid = models.PositiveIntegerField(_("baris ditolak"), default=0)
    # Accepted rows of rows_valid that lost a field to a bad value (left empty, warned).
    rows_warning = models.PositiveIntegerField(_("baris diterima dengan peringatan"), default=0)
    created_count = models.PositiveIntegerField(_("IKM baru"), default=0)
    updated_count = models.PositiveIntegerField(_("IKM diperbarui"), default=0)
    unchanged_count = models.PositiveIntegerField(_("tidak berubah"), default=0)
    committed_at = models.DateTimeField(_("disimpan"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor")
        verbose_name_plural = _("impor")

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def stale(self) -> bool:
        """In progress but silent for long: the worker probably died (nothing was written,
        a commit is one transaction), so the person may start it again."""
        from datetime import timedelta

        from django.utils import timezone

        return self.in_progress and self.updated_at < timezone.now() - timedelta(minutes=15)

    @property
    def rows_clean(self) -> int:
        return self.rows_valid - self.rows_warning

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0


class Severity(models.TextChoices):
    # The row cannot be an IKM (no business name, no place in the city): not imported.
    ERROR = "error", _("ditolak")
    # The row is imported; this cell's value was unusable and its field is left empty.
    WARNING = "warning", _("peringatan")


class ImportIssue(models.Model):
    """One problem in one cell (or one row, when `column` is empty) of an import file."""

    severity = models.CharField(
        _("tingkat"), max_length=8, choices=Severity.choices, default=Severity.ERROR
    )
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(_("baris"))  # as the spreadsheet numbers it, header = 1
    column = models.CharField(_("kolom"), max_length=100, blank=True)
    value = models.CharField(_("isi sel"), max_length=200, blank=True)
    message = models.CharField(_("pesan"), max_length=300)

    class Meta:
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["job", "row"])]

    def __str__(self) -> str:
        return f"{self.row} {self.column}: {self.message}"
