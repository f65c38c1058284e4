"""Coaching (pembinaan): the office's own categories, its programmes and their activities.

The office speaks of "kuliner, animasi, fashion, kerajinan, kriya"; the official Bekraf list
has 16 subsectors in which kerajinan and kriya are one (Kriya) and animasi is only part of
"Film, Animasi, dan Video". A `Category` is therefore the office's own label, mapped onto
one official subsector. Coverage is always counted on distinct IKM, never per category, so
two categories on the same subsector cannot count an IKM twice.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama kategori"), max_length=80)
    subsector = models.ForeignKey(
        "sectors.Subsector",
        on_delete=models.PROTECT,
        related_name="coaching_categories",
        limit_choices_to={"scheme": "bekraf_16"},
        verbose_name=_("subsektor resmi (Bekraf 16)"),
    )
    # Animasi covers only part of "Film, Animasi, dan Video": the page says so.
    partial = models.BooleanField(
        _("hanya sebagian subsektor"),
        default=False,
        help_text=_("Centang bila kategori ini hanya mencakup sebagian subsektor resminya."),
    )
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    is_active = models.BooleanField(_("dibina saat ini"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kategori pembinaan")
        verbose_name_plural = _("kategori pembinaan")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.subsector_id and not self.subsector_id.startswith("B16-"):
            raise ValidationError({"subsector": _("Pilih subsektor dari daftar Bekraf 16.")})


class Programme(models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("kategori")
    )
    year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    name = models.CharField(_("nama program"), max_length=200)
    organiser = models.CharField(_("penyelenggara"), max_length=200)
    budget = models.BigIntegerField(_("anggaran (Rp)"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name", "id"]
        verbose_name = _("program pembinaan")
        verbose_name_plural = _("program pembinaan")
        indexes = [models.Index(fields=["year"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget__gte=0) | models.Q(budget__isnull=True),
                name="coaching_programme_budget_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def clean(self) -> None:
        errors = {}
        if self.year is not None and not 2000 <= self.year <= 2100:
            errors["year"] = _("Tahun anggaran harus antara 2000 dan 2100.")
        if self.budget is not None and self.budget < 0:
            errors["budget"] = _("Anggaran tidak boleh negatif.")
        if errors:
            raise ValidationError(errors)


class ActivityKind(models.TextChoices):
    TRAINING = "pelatihan", _("Pelatihan")
    MENTORING = "pendampingan", _("Pendampingan")
    VISIT = "kunjungan", _("Kunjungan lapangan")
    EXHIBITION = "persiapan_pameran", _("Persiapan pameran")


class Activity(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="activities", verbose_name=_("program")
    )
    kind = models.CharField(_("jenis kegiatan"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("judul kegiatan"), max_length=200)
    date = models.DateField(_("tanggal"))
    end_date = models.DateField(_("tanggal selesai"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=200)
    facilitator = models.CharField(_("fasilitator/narasumber"), max_length=200, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    participants = models.ManyToManyField(
        "registry.Ikm",
        through="Participation",
        related_name="coaching_activities",
        verbose_name=_("peserta"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("kegiatan pembinaan")
        verbose_name_plural = _("kegiatan pembinaan")
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.end_date and self.date and self.end_date < self.date:
            raise ValidationError(
                {"end_date": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")}
            )
        if self.programme_id and self.date and abs(self.date.year - self.programme.year) > 1:
            raise ValidationError(
                {
                    "date": _("Tanggal kegiatan jauh dari tahun anggaran programnya (%(year)s).")
                    % {"year": self.programme.year}
                }
            )


class Participation(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    ikm = models.ForeignKey(
        "registry.Ikm", on_delete=models.PROTECT, related_name="coaching_participations"
    )
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("peserta kegiatan")
        verbose_name_plural = _("peserta kegiatan")
        constraints = [
            models.UniqueConstraint(fields=["activity", "ikm"], name="coaching_one_participation")
        ]
        indexes = [models.Index(fields=["ikm", "activity"])]

    def __str__(self) -> str:
        return f"{self.ikm_id} @ {self.activity_id}"


class AttendanceRun(models.Model):
    """An uploaded daftar hadir being matched to the registry in the background
    (`coaching.tasks.attendance_match_task`): the rows as read, where the matching is,
    and the IKM proposed for each row. The page polls it; the confirmation step reads
    its result. What the clerk typed holds phone numbers: only the uploader and admins
    open a run (`accounts.permissions.can_open_attendance_run`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Antre")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="attendance_runs",
        verbose_name=_("kegiatan"),
    )
    file_name = models.CharField(_("berkas"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(_("tahap"), max_length=40, blank=True)
    percent = models.PositiveSmallIntegerField(_("persen"), default=0)
    total = models.PositiveIntegerField(_("baris"), default=0)
    done = models.PositiveIntegerField(_("baris selesai"), default=0)
    # [{"row": n, "typed": {"owner_name", "name", "owner_phone", "address", "_desa"}}]
    rows = models.JSONField(_("baris daftar hadir"), default=list, blank=True)
    columns = models.JSONField(_("kolom"), default=dict, blank=True)  # header → field
    notes = models.JSONField(_("catatan pembacaan"), default=list, blank=True)
    # One entry per row, in order: {"ikm_id", "probability", "evidence"}, or {} (none).
    result = models.JSONField(_("hasil pencocokan"), default=list, blank=True)
    error = models.TextField(_("galat"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pengunggah"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pencocokan daftar hadir")
        verbose_name_plural = _("pencocokan daftar hadir")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.activity_id})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
