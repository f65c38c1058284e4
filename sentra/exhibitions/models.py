"""Exhibitions (pameran): events, booths, applications, outcomes; and the students who
help at them and may later found an IKM.

Students live in this app rather than in an app of their own: Sentra knows a student
only through exhibitions (their roles and hours) and through the follow-up of whether
they later found an IKM, so they share one set of pages, policy decisions and demo data.
"""

from __future__ import annotations

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Verification codes are read off paper: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length: int = 10) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Organiser(models.TextChoices):
    CITY = "kota", _("Pemerintah kota")
    PROVINCE = "provinsi", _("Pemerintah provinsi")
    MINISTRY = "kementerian", _("Kementerian")
    PRIVATE = "swasta", _("Swasta")


class Exhibition(models.Model):
    name = models.CharField(_("nama pameran"), max_length=200)
    organiser = models.CharField(_("penyelenggara"), max_length=12, choices=Organiser.choices)
    organiser_name = models.CharField(_("nama penyelenggara"), max_length=200, blank=True)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    venue = models.CharField(_("tempat"), max_length=300)
    theme = models.CharField(_("tema"), max_length=300, blank=True)
    subsectors = models.ManyToManyField(
        "sectors.Subsector",
        blank=True,
        limit_choices_to={"scheme": "bekraf_16"},
        related_name="+",
        verbose_name=_("subsektor tema"),
    )
    applications_open = models.DateField(_("pendaftaran dibuka"))
    applications_close = models.DateField(_("pendaftaran ditutup"))
    # Hard limits of the selection set by the officer: a quota per named kecamatan /
    # subsector (code -> most participants), and a default for the rest; empty means no limit.
    max_per_kecamatan = models.PositiveSmallIntegerField(
        _("kuota kecamatan lainnya"), null=True, blank=True
    )
    max_per_subsector = models.PositiveSmallIntegerField(
        _("kuota subsektor lainnya"), null=True, blank=True
    )
    kecamatan_quotas = models.JSONField(_("kuota per kecamatan"), default=dict, blank=True)
    subsector_quotas = models.JSONField(_("kuota per subsektor"), default=dict, blank=True)
    other_costs = models.BigIntegerField(
        _("biaya lain dinas (Rp)"),
        default=0,
        help_text=_("Transport, dekorasi, promosi: di luar subsidi stan."),
    )
    selection_run_at = models.DateTimeField(_("seleksi dijalankan"), null=True, blank=True)
    selection_optimal = models.BooleanField(default=False)
    # Counts every edit: an edit form carries the version it was loaded from (no lost update).
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("pameran")
        verbose_name_plural = _("pameran")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="exhibition_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(applications_close__gte=models.F("applications_open")),
                name="exhibition_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date:%Y})"

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        if self.applications_open and self.applications_close:
            if self.applications_close < self.applications_open:
                errors["applications_close"] = _("Pendaftaran tidak boleh ditutup sebelum dibuka.")
            elif self.start_date and self.applications_close > self.start_date:
                errors["applications_close"] = _(
                    "Pendaftaran harus ditutup paling lambat pada hari pameran dimulai."
                )
        for name, known in (
            ("kecamatan_quotas", _kecamatan_codes),
            ("subsector_quotas", _subsector_codes),
        ):
            problem = _quota_problem(getattr(self, name), known)
            if problem:
                errors[name] = problem
        if errors:
            raise ValidationError(errors)

    def is_open_on(self, day) -> bool:
        return self.applications_open <= day <= self.applications_close


def _kecamatan_codes(codes: set[str]) -> set[str]:
    from sentra.areas.models import Area

    return set(Area.objects.kecamatan().filter(code__in=codes).values_list("code", flat=True))


def _subsector_codes(codes: set[str]) -> set[str]:
    from sentra.sectors.models import Subsector

    return set(
        Subsector.objects.filter(scheme="bekraf_16", code__in=codes).values_list("code", flat=True)
    )


def _quota_problem(quotas, known) -> str | None:
    """Why a quota table (code -> most participants) is not valid, or None."""
    if not isinstance(quotas, dict):
        return str(_("Kuota harus berupa daftar kode dan jumlah."))
    for code, limit in quotas.items():
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            return str(_("Kuota %(code)s harus bilangan bulat 0 atau lebih.") % {"code": code})
    unknown = sorted(set(quotas) - known(set(quotas)))
    if unknown:
        return str(_("Kode tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)})
    return None


class BoothType(models.Model):
    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="booths")
    name = models.CharField(_("jenis stan"), max_length=100)
    count = models.PositiveSmallIntegerField(_("jumlah stan"))
    size_m2 = models.DecimalField(_("luas (m²)"), max_digits=6, decimal_places=2)
    power_watt = models.PositiveIntegerField(_("daya listrik (watt)"), default=0)
    water = models.BooleanField(_("air bersih"), default=False)
    fee = models.BigIntegerField(_("biaya sewa per stan (Rp)"), default=0)
    subsidy = models.BigIntegerField(_("subsidi dinas per stan (Rp)"), default=0)
    code = models.CharField(_("kode denah"), max_length=3, default="A")

    class Meta:
        ordering = ["exhibition", "code", "id"]
        verbose_name = _("jenis stan")
        verbose_name_plural = _("jenis stan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subsidy__lte=models.F("fee")), name="booth_subsidy_le_fee"
            ),
            models.CheckConstraint(
                condition=models.Q(fee__gte=0, subsidy__gte=0), name="booth_money_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.size_m2} m²)"

    def clean(self) -> None:
        if self.fee is not None and self.subsidy is not None and self.subsidy > self.fee:
            raise ValidationError({"subsidy": _("Subsidi tidak boleh melebihi biaya sewa.")})


class Channel(models.TextChoices):
    OFFICER = "petugas", _("Dicatat petugas")
    PUBLIC = "publik", _("Formulir pendaftaran publik")


class Status(models.TextChoices):
    APPLIED = "diajukan", _("Diajukan")
    SELECTED = "terpilih", _("Terpilih")
    WAITLIST = "cadangan", _("Daftar tunggu")
    CANCELLED = "batal", _("Batal")


class Application(models.Model):
    exhibition = models.ForeignKey(
        Exhibition, on_delete=models.CASCADE, related_name="applications"
    )
    ikm = models.ForeignKey(
        "registry.Ikm", on_delete=models.CASCADE, related_name="exhibition_applications"
    )
    booth_type = models.ForeignKey(BoothType, on_delete=models.RESTRICT, related_name="+")
    channel = models.CharField(_("jalur"), max_length=8, choices=Channel.choices)
    products = models.CharField(_("produk yang dipamerkan"), max_length=300)
    # Contact given on the form (personal data): kept here, the registry is not overwritten.
    contact_name = models.CharField(_("nama kontak"), max_length=150)
    contact_phone = models.CharField(_("nomor HP kontak"), max_length=20, blank=True)
    contact_email = models.EmailField(_("e-mail kontak"), blank=True)
    consent_at = models.DateTimeField(_("persetujuan data pribadi"), null=True, blank=True)
    # Set when the applicant was unknown and the sign-up created the IKM: an officer checks it.
    needs_verification = models.BooleanField(_("IKM perlu diverifikasi"), default=False)
    match_probability = models.FloatField(_("kecocokan dengan registri"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    points = models.PositiveSmallIntegerField(_("poin"), null=True, blank=True)
    reasons = models.JSONField(_("alasan"), default=list, blank=True)
    waitlist_rank = models.PositiveSmallIntegerField(_("urutan tunggu"), null=True, blank=True)
    override = models.CharField(
        _("keputusan petugas"),
        max_length=5,
        choices=[("", _("Tidak ada")), ("in", _("Dipilih")), ("out", _("Tidak dipilih"))],
        blank=True,
    )
    override_note = models.CharField(_("catatan keputusan"), max_length=300, blank=True)
    booth_number = models.CharField(_("nomor stan"), max_length=10, blank=True)
    attended = models.BooleanField(_("hadir"), null=True, blank=True)
    cancelled_reason = models.CharField(_("alasan batal"), max_length=300, blank=True)
    certificate_code = models.CharField(_("kode verifikasi sertifikat"), max_length=12, blank=True)
    outcome_token = models.CharField(max_length=40, default=new_token, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["exhibition", "id"]
        verbose_name = _("pendaftaran pameran")
        verbose_name_plural = _("pendaftaran pameran")
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "ikm"], name="exhib_application_once"),
            models.UniqueConstraint(
                fields=["certificate_code"],
                condition=~models.Q(certificate_code=""),
                name="exhib_application_certificate_unique",
            ),
            models.UniqueConstraint(
                fields=["exhibition", "booth_number"],
                condition=~models.Q(booth_number=""),
                name="exhib_booth_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["ikm", "status", "attended"])]

    def __str__(self) -> str:
        return f"{self.ikm} — {self.exhibition}"

    def clean(self) -> None:
        if (
            self.booth_type_id
            and self.exhibition_id
            and (self.booth_type.exhibition_id != self.exhibition_id)
        ):
            raise ValidationError({"booth_type": _("Jenis stan bukan milik pameran ini.")})
        if self.override and not self.override_note.strip():
            raise ValidationError({"override_note": _("Keputusan petugas perlu catatan.")})


PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # larger is a decompression bomb, not a camera photo
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def validate_photo(file) -> None:
    """A JPEG, PNG or WebP photo of at most 5 MB, checked by reading it (not by its name)."""
    from PIL import Image, UnidentifiedImageError

    if file.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("Foto terlalu besar (%(size)s MB); paling besar %(max)s MB.")
            % {
                "size": f"{file.size / 1024 / 1024:.1f}".replace(".", ","),
                "max": PHOTO_MAX_BYTES // 1024 // 1024,
            },
            code="photo_size",
        )
    bad = ValidationError(
        _("Berkas ini bukan foto JPEG, PNG atau WebP yang dapat dibaca."), code="photo_type"
    )
    try:
        file.seek(0)
        with Image.open(file) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise bad from None
    finally:
        file.seek(0)
    if kind not in PHOTO_FORMATS:
        raise bad
    if width * height > PHOTO_MAX_PIXELS:
        raise ValidationError(
            _("Foto terlalu besar (%(mp)s megapiksel); paling besar %(max)s megapiksel.")
            % {"mp": (width * height) // 1_000_000, "max": PHOTO_MAX_PIXELS // 1_000_000},
            code="photo_pixels",
        )


def _photo_upload_to(photo: OutcomePhoto, filename: str) -> str:
    # A random name: the uploader's file name may carry a person's name.
    suffix = PurePath(filename).suffix.lower().lstrip(".") or "jpg"
    return f"pameran/foto/{photo.outcome.application.exhibition_id}/{new_token()}.{suffix}"


class Outcome(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="outcome"
    )
    sales = models.BigIntegerField(_("penjualan selama pameran (Rp)"), null=True, blank=True)
    buyer_contacts = models.PositiveIntegerField(_("kontak pembeli"), null=True, blank=True)
    orders_after = models.BigIntegerField(_("pesanan setelah pameran (Rp)"), null=True, blank=True)
    branding = models.CharField(_("materi branding yang dibuat"), max_length=300, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("penilaian IKM (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    photo_url = models.URLField(_("tautan foto"), max_length=500, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by_ikm = models.BooleanField(_("diisi oleh IKM"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hasil pameran")
        verbose_name_plural = _("hasil pameran")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(sales__gte=0) | models.Q(sales__isnull=True))
                & (models.Q(orders_after__gte=0) | models.Q(orders_after__isnull=True)),
                name="exhib_outcome_money_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.application)

    def clean(self) -> None:
        errors = {}
        for name in ("sales", "orders_after"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("Nilai tidak boleh negatif.")
        if errors:
            raise ValidationError(errors)


class OutcomePhoto(models.Model):
    """A photo of a participant's booth or products, uploaded by an officer or by the IKM
    through its link; served only through an access-checked view (never as a public file)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("foto"),
        upload_to=_photo_upload_to,
        max_length=200,
        validators=[validate_photo],
        help_text=_("JPEG, PNG atau WebP, paling besar 5 MB."),
    )
    caption = models.CharField(_("keterangan foto"), max_length=200, blank=True)
    uploaded_by_ikm = models.BooleanField(_("diunggah oleh IKM"), default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["outcome", "uploaded_at", "id"]
        verbose_name = _("foto hasil pameran")
        verbose_name_plural = _("foto hasil pameran")

    def __str__(self) -> str:
        return self.caption or PurePath(self.image.name or "").name


class RunKind(models.TextChoices):
    SELECTION = "seleksi", _("Seleksi peserta")
    STUDENT_MATCH = "mahasiswa", _("Pencarian mahasiswa di registri")


class RunStatus(models.TextChoices):
    QUEUED = "antre", _("Dalam antrean")
    RUNNING = "berjalan", _("Berjalan")
    DONE = "selesai", _("Selesai")
    FAILED = "gagal", _("Gagal")


class BackgroundRun(models.Model):
    """A selection or a student search run as a background task; `progress` holds what
    the page shows meanwhile (best selection so far and its bound, or records done; the
    seconds used and, for the solver, its limit)."""

    kind = models.CharField(_("jenis"), max_length=10, choices=RunKind.choices)
    exhibition = models.ForeignKey(
        Exhibition, on_delete=models.CASCADE, null=True, blank=True, related_name="runs"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.JSONField(_("kemajuan"), default=dict, blank=True)
    result = models.JSONField(_("hasil"), default=dict, blank=True)
    error = models.TextField(_("galat"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proses latar pameran")
        verbose_name_plural = _("proses latar pameran")
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def running(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


# --- students ---------------------------------------------------------------------------


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "pt", _("Perguruan tinggi")
    SMK = "smk", _("SMK")


class Institution(models.Model):
    name = models.CharField(_("nama lembaga"), max_length=200, unique=True)
    kind = models.CharField(_("jenis"), max_length=4, choices=InstitutionKind.choices)
    city = models.CharField(_("kota"), max_length=100, default="Denpasar")

    class Meta:
        ordering = ["name"]
        verbose_name = _("lembaga pendidikan")
        verbose_name_plural = _("lembaga pendidikan")

    def __str__(self) -> str:
        return self.name


class Student(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="students")
    name = models.CharField(_("nama"), max_length=150)
    programme = models.CharField(_("program studi/jurusan"), max_length=150)
    entry_year = models.PositiveSmallIntegerField(_("angkatan"))
    # Personal data (see the policy): only with consent, shown only to those allowed.
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    consent_at = models.DateTimeField(_("persetujuan data pribadi"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("mahasiswa/siswa")
        verbose_name_plural = _("mahasiswa/siswa")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from sentra.lib.identity import IdentityError, validate_nik

        errors: dict[str, object] = {}
        if (self.nik or self.phone or self.email or self.birth_date) and not self.consent_at:
            errors["consent_at"] = _(
                "Kontak dan data pribadi hanya boleh disimpan dengan persetujuan (UU PDP)."
            )
        if self.nik:
            try:
                self.nik = validate_nik(self.nik, birth_date=self.birth_date)
            except IdentityError as exc:
                errors["nik"] = str(exc)
        if errors:
            raise ValidationError(errors)


class StudentRoleKind(models.TextChoices):
    BOOTH = "stan", _("Asisten stan")
    CONTENT = "konten", _("Konten dan branding")
    ENUMERATOR = "enumerator", _("Enumerator survei pemetaan")


class StudentRole(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="roles")
    exhibition = models.ForeignKey(
        Exhibition, on_delete=models.CASCADE, related_name="student_roles"
    )
    role = models.CharField(_("peran"), max_length=10, choices=StudentRoleKind.choices)
    hours = models.DecimalField(
        _("jam"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    certificate_code = models.CharField(
        _("kode verifikasi sertifikat"), max_length=12, default=new_code, unique=True
    )

    class Meta:
        ordering = ["exhibition", "student"]
        verbose_name = _("peran mahasiswa")
        verbose_name_plural = _("peran mahasiswa")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "exhibition", "role"], name="exhib_student_role_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.get_role_display()}"


class LinkStatus(models.TextChoices):
    PROPOSED = "usulan", _("Diusulkan")
    CONFIRMED = "benar", _("Dikonfirmasi")
    REJECTED = "bukan", _("Bukan orang yang sama")


class StudentIkmLink(models.Model):
    """A student who later appears as an IKM owner: found by the linkage engine,
    confirmed (or rejected) by an officer."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="ikm_links")
    ikm = models.ForeignKey("registry.Ikm", on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("peluang cocok"))
    evidence = models.JSONField(_("bukti"), default=dict)
    status = models.CharField(
        _("status"), max_length=6, choices=LinkStatus.choices, default=LinkStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name = _("tautan mahasiswa–IKM")
        verbose_name_plural = _("tautan mahasiswa–IKM")
        constraints = [
            models.UniqueConstraint(fields=["student", "ikm"], name="exhib_student_ikm_once")
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.ikm}"
