"""Competency certification of IKM people through an LSP (Lembaga Sertifikasi Profesi).

Target: every active IKM has a certified manager (pengelola) and a certified marketer
(pemasaran). Assessors travel from Surabaya, so assessment days are grouped into trips.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("Pengelola")
    MARKETER = "marketer", _("Pemasaran")


class Lsp(models.Model):
    name = models.CharField(_("nama LSP"), max_length=200)
    city = models.CharField(_("kota"), max_length=100)
    licence_number = models.CharField(_("nomor lisensi BNSP"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "LSP"
        verbose_name_plural = "LSP"

    def __str__(self) -> str:
        return self.name


class Scheme(models.Model):
    """A certification scheme; the role says which target slot a certificate fills."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama skema"), max_length=150)
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices)
    lsp = models.ForeignKey(
        Lsp, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("LSP")
    )
    validity_years = models.PositiveSmallIntegerField(_("masa berlaku (tahun)"), default=3)
    requires_coaching = models.BooleanField(_("wajib selesai pembinaan"), default=True)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skema sertifikasi")
        verbose_name_plural = _("skema sertifikasi")

    def __str__(self) -> str:
        return self.name


class CompetencyUnit(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("kode unit"), max_length=40)
    title = models.CharField(_("judul unit"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="cert_unit_unique_code")
        ]
        verbose_name = _("unit kompetensi")
        verbose_name_plural = _("unit kompetensi")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Assessor(models.Model):
    name = models.CharField(_("nama asesor"), max_length=150)
    lsp = models.ForeignKey(Lsp, on_delete=models.PROTECT, related_name="assessors")
    registration_number = models.CharField(_("nomor registrasi (MET)"), max_length=60, blank=True)
    home_city = models.CharField(_("kota domisili"), max_length=100)
    local = models.BooleanField(
        _("asesor lokal"), default=False, help_text=_("Tinggal di Bali: tanpa biaya perjalanan.")
    )
    schemes = models.ManyToManyField(Scheme, related_name="assessors", verbose_name=_("skema"))
    candidates_per_day = models.PositiveSmallIntegerField(_("peserta per hari"), default=10)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("asesor")
        verbose_name_plural = _("asesor")

    def __str__(self) -> str:
        return self.name


class AvailabilityWindow(models.Model):
    assessor = models.ForeignKey(Assessor, on_delete=models.CASCADE, related_name="windows")
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    class Meta:
        ordering = ["assessor", "start"]
        indexes = [models.Index(fields=["assessor", "start", "end"])]
        verbose_name = _("jendela ketersediaan")
        verbose_name_plural = _("jendela ketersediaan")

    def __str__(self) -> str:
        return f"{self.assessor}: {self.start:%d-%m-%Y} s.d. {self.end:%d-%m-%Y}"


class Tuk(models.Model):
    """Tempat Uji Kompetensi; capacity = seats per day, shared by parallel assessors."""

    name = models.CharField(_("nama TUK"), max_length=200)
    place = models.CharField(_("alamat/tempat"), max_length=300)
    city = models.CharField(_("kota"), max_length=100, default="Denpasar")
    capacity = models.PositiveSmallIntegerField(_("kapasitas (kursi per hari)"))
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "TUK"
        verbose_name_plural = "TUK"

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    """A person of an IKM to be assessed in one scheme (asesi)."""

    ikm = models.ForeignKey(
        "registry.Ikm", on_delete=models.CASCADE, related_name="certification_candidates"
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="candidates")
    name = models.CharField(_("nama asesi"), max_length=150)
    role = models.CharField(_("peran di IKM"), max_length=10, choices=Role.choices)
    coaching_finished_on = models.DateField(_("selesai pembinaan"), null=True, blank=True)
    documents_complete = models.BooleanField(_("dokumen lengkap"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ikm__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ikm", "scheme"], name="cert_candidate_one_per_scheme")
        ]
        indexes = [models.Index(fields=["scheme", "documents_complete"])]
        verbose_name = _("asesi")
        verbose_name_plural = _("asesi")

    def __str__(self) -> str:
        return f"{self.name} ({self.ikm})"

    @property
    def prerequisites_met(self) -> bool:
        coached = self.coaching_finished_on is not None or not self.scheme.requires_coaching
        return coached and self.documents_complete

    @property
    def ready_on(self) -> date | None:
        """The day the candidate may be assessed (pembinaan finished, documents complete)."""
        if not self.prerequisites_met:
            return None
        return self.coaching_finished_on or date.min


class TripStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    CONFIRMED = "confirmed", _("Dikonfirmasi")
    DONE = "done", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


OPEN_STATUSES = (TripStatus.PLANNED, TripStatus.CONFIRMED)


class Trip(models.Model):
    """One assessor's visit (D consecutive working days) — the unit the planner minimises."""

    assessor = models.ForeignKey(Assessor, on_delete=models.PROTECT, related_name="trips")
    start_date = models.DateField(_("berangkat"))
    end_date = models.DateField(_("pulang"))
    cost = models.BigIntegerField(_("biaya perjalanan (Rp)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=TripStatus.choices, default=TripStatus.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "assessor__name", "id"]
        indexes = [models.Index(fields=["status", "start_date"])]
        verbose_name = _("perjalanan asesor")
        verbose_name_plural = _("perjalanan asesor")

    def __str__(self) -> str:
        return f"{self.assessor} {self.start_date:%d-%m-%Y}–{self.end_date:%d-%m-%Y}"


BatchStatus = TripStatus


class Batch(models.Model):
    code = models.CharField(_("kode batch"), max_length=30, unique=True)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="batches")
    tuk = models.ForeignKey(Tuk, on_delete=models.PROTECT, related_name="batches")
    trip = models.ForeignKey(
        Trip, on_delete=models.SET_NULL, null=True, blank=True, related_name="batches"
    )
    assessors = models.ManyToManyField(Assessor, related_name="batches")
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    capacity = models.PositiveSmallIntegerField(_("kapasitas"))
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PLANNED
    )
    candidates = models.ManyToManyField(Candidate, through="Enrollment", related_name="batches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "code"]
        indexes = [models.Index(fields=["status", "start_date"])]
        verbose_name = _("batch asesmen")
        verbose_name_plural = _("batch asesmen")

    def __str__(self) -> str:
        return self.code


class Enrollment(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="enrollments")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="enrollments")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "candidate"], name="cert_enrollment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.candidate_id}"


class Result(models.TextChoices):
    COMPETENT = "kompeten", _("Kompeten")
    NOT_YET = "belum", _("Belum kompeten")


class Outcome(models.Model):
    """An assessment result. `ikm` and `role` are copied from the candidate so that the
    progress figures are one indexed EXISTS per IKM."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="outcomes")
    batch = models.ForeignKey(
        Batch, on_delete=models.SET_NULL, null=True, blank=True, related_name="outcomes"
    )
    ikm = models.ForeignKey("registry.Ikm", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    result = models.CharField(_("hasil"), max_length=10, choices=Result.choices)
    assessed_on = models.DateField(_("tanggal asesmen"))
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=60, blank=True)
    issued_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    expires_on = models.DateField(_("berlaku sampai"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "id"]
        indexes = [
            models.Index(fields=["ikm", "role", "result", "expires_on"]),
            models.Index(fields=["candidate", "result", "expires_on"]),
            # Covering index for the progress figures: valid certificates by IKM and role.
            models.Index(fields=["result", "expires_on", "ikm", "role"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~models.Q(certificate_number=""),
                name="cert_outcome_unique_certificate",
            )
        ]
        verbose_name = _("hasil asesmen")
        verbose_name_plural = _("hasil asesmen")

    def __str__(self) -> str:
        return f"{self.candidate} — {self.get_result_display()}"


class DraftStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang disusun")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class PlanDraft(models.Model):
    """A planner run as shown to the user, kept so that "accept" creates exactly that plan.

    The solver runs as a background task; `progress` holds what the page shows meanwhile
    (phase, best plan so far, proven bound, seconds used of the limit)."""

    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    params = models.JSONField(_("parameter"), default=dict)
    plan = models.JSONField(_("rencana"), default=dict)
    whatifs = models.JSONField(_("skenario"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=DraftStatus.choices, default=DraftStatus.DONE
    )
    progress = models.JSONField(_("kemajuan"), default=dict, blank=True)
    error = models.TextField(_("galat"), blank=True)
    accepted_at = models.DateTimeField(_("diterima"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("draf rencana")
        verbose_name_plural = _("draf rencana")

    def __str__(self) -> str:
        return f"Rencana #{self.pk} ({self.created_at:%d-%m-%Y %H:%M})"


class AssessorDay(models.Model):
    """One calendar day an assessor is booked in an open (or done) batch.

    Why a table: two plan acceptances or batch bookings running at the same moment both
    pass the booking checks (each reads before the other writes); the unique constraint
    lets only one of them commit, on SQLite and PostgreSQL alike. Rows are written with
    the batch and deleted when it is cancelled.
    """

    assessor = models.ForeignKey(Assessor, on_delete=models.CASCADE, related_name="booked_days")
    day = models.DateField(_("tanggal"))
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="assessor_days")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessor", "day"], name="cert_assessor_day_once")
        ]
        verbose_name = _("hari tugas asesor")
        verbose_name_plural = _("hari tugas asesor")

    def __str__(self) -> str:
        return f"{self.assessor_id} {self.day:%d-%m-%Y}"


class OfficeHoliday(models.Model):
    """A day the office does not assess, beyond the national holidays and cuti bersama
    that the `holidays` package knows (e.g. a Balinese ceremony day, an office closure)."""

    day = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=150)

    class Meta:
        ordering = ["day"]
        verbose_name = _("hari libur kantor")
        verbose_name_plural = _("hari libur kantor")

    def __str__(self) -> str:
        return f"{self.day:%d-%m-%Y} {self.name}"


class ProgressSnapshot(models.Model):
    """One row: every figure of the certification page, computed once per change.

    Counting valid certificates and ready candidates over 400k IKM takes seconds; the
    page reads this row instead, and a change of the data (an audited write, a new day:
    certificates expire) asks a background task to recompute it, as the atlas tables do.
    """

    built_version = models.CharField(max_length=100, blank=True)  # cache.data_version()
    built_on = models.DateField(null=True)  # the day certificates were counted valid on
    built_at = models.DateTimeField(null=True)
    seconds = models.FloatField(null=True)
    pending = models.BooleanField(default=False)
    requested_at = models.DateTimeField(null=True)
    figures = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.built_version} @ {self.built_at}"
