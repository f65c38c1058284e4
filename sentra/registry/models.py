"""The IKM record: SIINas Industri Kecil minimum data and the Satu Data UMKM (SIDT) export
in one model, so that nothing is lost either way."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sentra.accounts.permissions import PERSONAL_FIELDS  # noqa: F401  (re-exported: IKM owner fields)
from sentra.areas.geo import location_check
from sentra.lib.identity import IdentityError, validate_nib, validate_nik
from sentra.lib.phone import phone_key
from sentra.lib.text import fold
from sentra.registry.scale import IndustryClass, Scale, business_scale, industry_class


class LegalForm(models.TextChoices):
    PERORANGAN = "perorangan", _("Perorangan")
    UD = "ud", _("UD")
    CV = "cv", _("CV")
    PT = "pt", _("PT")
    FIRMA = "firma", _("Firma")
    KOPERASI = "koperasi", _("Koperasi")
    LAINNYA = "lainnya", _("Lainnya")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Education(models.TextChoices):
    NONE = "tidak_sekolah", _("Tidak/belum sekolah")
    SD = "sd", _("SD/sederajat")
    SMP = "smp", _("SMP/sederajat")
    SMA = "sma", _("SMA/SMK/sederajat")
    DIPLOMA = "diploma", _("Diploma (D1–D3)")
    S1 = "s1", _("D4/S1")
    S2 = "s2", _("S2")
    S3 = "s3", _("S3")


class LocationCheck(models.TextChoices):
    NONE = "", _("Tanpa koordinat")
    OK = "ok", _("Sesuai desa/kelurahan")
    NEAR = "near", _("Di celah batas, desa terdekat sesuai")
    MISMATCH = "mismatch", _("Koordinat di desa/kelurahan lain")
    OUTSIDE = "outside", _("Koordinat di luar kota")


class CloseReason(models.TextChoices):
    CLOSED = "tutup", _("Berhenti beroperasi")
    MOVED = "pindah", _("Pindah ke luar kota")
    CHANGED = "beralih", _("Beralih ke usaha non-industri")
    DUPLICATE = "duplikat", _("Duplikat data")
    OTHER = "lainnya", _("Lainnya")


class CapacityUnit(models.TextChoices):
    PCS = "unit", _("unit/buah")
    KG = "kg", _("kg")
    TON = "ton", _("ton")
    LITER = "liter", _("liter")
    METER = "meter", _("meter")
    M2 = "m2", _("m²")
    SET = "set", _("set")
    PORSI = "porsi", _("porsi")
    PAKET = "paket", _("paket")
    LUSIN = "lusin", _("lusin")
    LAINNYA = "lainnya", _("lainnya")


ACTIVE = models.Q(closed_on__isnull=True)


class IkmQuerySet(models.QuerySet["Ikm"]):
    def active(self) -> "IkmQuerySet":
        return self.filter(closed_on__isnull=True)

    def closed(self) -> "IkmQuerySet":
        return self.filter(closed_on__isnull=False)


# Fields an officer fills in, in the form's sections: the forms, the audit trail and the
# merge page all use this one definition.
FIELD_GROUPS: list[tuple[StrOrPromise, list[str]]] = [
    (
        _("Identitas usaha"),
        [
            "name",
            "legal_form",
            "nib",
            "kbli",
            "subsector",
            "main_products",
            "business_activity",
            "pirt_number",
            "halal_number",
            "other_permits",
            "photo_url",
        ],
    ),
    (
        _("Pemilik"),
        [
            "owner_name",
            "owner_nik",
            "owner_sex",
            "owner_birth_date",
            "owner_education",
            "owner_disability",
            "owner_phone",
            "owner_email",
            "owner_address",
            "owner_region",
        ],
    ),
    (
        _("Lokasi usaha"),
        ["address", "rt", "rw", "desa", "postal_code", "latitude", "longitude"],
    ),
    (
        _("Tenaga kerja"),
        [
            "workers_paid_male",
            "workers_paid_female",
            "workers_unpaid_male",
            "workers_unpaid_female",
            "workers_paid_disabled_male",
            "workers_paid_disabled_female",
            "workers_unpaid_disabled_male",
            "workers_unpaid_disabled_female",
            "workers_unspecified",
        ],
    ),
    (
        _("Nilai usaha (Rupiah)"),
        [
            "investment",
            "land_building_value",
            "initial_capital",
            "production_capacity",
            "production_capacity_unit",
            "production_value",
            "raw_material_value",
            "annual_turnover",
            "assets",
        ],
    ),
    (_("Riwayat"), ["started_year", "started_month", "first_recorded_on", "data_as_of"]),
]
EDITABLE_FIELDS = [name for _title, names in FIELD_GROUPS for name in names]

MONEY_FIELDS = [
    "investment",
    "land_building_value",
    "initial_capital",
    "production_value",
    "raw_material_value",
    "annual_turnover",
    "assets",
]
DERIVED_FIELDS = {
    "kecamatan",
    "workers_total",
    "scale",
    "search_text",
    "phone_key",
    "location_check",
}


NIB_UNIQUE_ACTIVE = "ikm_nib_unique_active"


def is_nib_conflict(exc: Exception) -> bool:
    """A unique violation (Django's IntegrityError, or the driver's own from a bulk
    writer) of the one-live-IKM-per-NIB index: PostgreSQL names the index, SQLite the
    column."""
    text = str(exc)
    return NIB_UNIQUE_ACTIVE in text or "registry_ikm.nib" in text


def incomplete_labels(names: list[str]) -> list[str]:
    """What an officer still has to fill in ("perlu dilengkapi"), by the fields' own names."""
    labels = {f.name: str(f.verbose_name) for f in Ikm._meta.fields}
    return [labels.get(name, name) for name in names]


class Ikm(models.Model):
    # Identity
    name = models.CharField(_("nama usaha"), max_length=200)
    legal_form = models.CharField(
        _("bentuk badan usaha"),
        max_length=12,
        choices=LegalForm.choices,
        default=LegalForm.PERORANGAN,
    )
    nib = models.CharField(_("NIB"), max_length=13, blank=True, db_index=True)
    pirt_number = models.CharField(_("nomor PIRT"), max_length=30, blank=True)
    halal_number = models.CharField(_("nomor sertifikat halal"), max_length=40, blank=True)
    other_permits = models.CharField(_("izin lain"), max_length=200, blank=True)
    kbli = models.ForeignKey(
        "sectors.Kbli",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": "kelompok"},
        verbose_name=_("KBLI (5 digit)"),
    )
    subsector = models.ForeignKey(
        "sectors.Subsector",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"scheme": "bekraf_16"},
        verbose_name=_("subsektor ekraf"),
        help_text=_("Kosong berarti bukan ekonomi kreatif."),
    )
    main_products = models.CharField(_("produk utama"), max_length=300, blank=True)
    business_activity = models.CharField(_("kegiatan utama"), max_length=300, blank=True)
    photo_url = models.URLField(_("foto usaha"), max_length=500, blank=True)

    # Owner (personal data: see sentra.accounts.permissions)
    owner_name = models.CharField(_("nama pemilik"), max_length=150, blank=True)
    owner_nik = models.CharField(_("NIK pemilik"), max_length=16, blank=True, db_index=True)
    owner_sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    owner_birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    owner_education = models.CharField(
        _("pendidikan"), max_length=16, choices=Education.choices, blank=True
    )
    owner_disability = models.BooleanField(_("penyandang disabilitas"), default=False)
    owner_phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    owner_email = models.EmailField(_("e-mail"), blank=True)
    owner_address = models.CharField(_("alamat pemilik"), max_length=300, blank=True)
    # Kelurahan, kecamatan, kabupaten, provinsi of the owner's residence as given
    # (it may lie outside the city, so it is text, not an area key).
    owner_region = models.CharField(_("wilayah domisili pemilik"), max_length=300, blank=True)

    # Location
    address = models.CharField(_("alamat usaha"), max_length=300, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    desa = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="ikm",
        limit_choices_to={"level": "desa_kelurahan"},
        verbose_name=_("desa/kelurahan"),
    )
    # Copied from desa.parent on save: filtering and permissions ask for it on every page.
    kecamatan = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("kecamatan"),
    )
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_check = models.CharField(
        _("cek lokasi"), max_length=10, choices=LocationCheck.choices, blank=True, editable=False
    )

    # Size (amounts in whole rupiah)
    workers_paid_male = models.PositiveIntegerField(_("TK dibayar laki-laki"), default=0)
    workers_paid_female = models.PositiveIntegerField(_("TK dibayar perempuan"), default=0)
    workers_unpaid_male = models.PositiveIntegerField(_("TK tidak dibayar laki-laki"), default=0)
    workers_unpaid_female = models.PositiveIntegerField(_("TK tidak dibayar perempuan"), default=0)
    # Of the workers above, those with a disability (SIDT reports them separately).
    workers_paid_disabled_male = models.PositiveIntegerField(
        _("TK dibayar disabilitas laki-laki"), default=0
    )
    workers_paid_disabled_female = models.PositiveIntegerField(
        _("TK dibayar disabilitas perempuan"), default=0
    )
    workers_unpaid_disabled_male = models.PositiveIntegerField(
        _("TK tidak dibayar disabilitas laki-laki"), default=0
    )
    workers_unpaid_disabled_female = models.PositiveIntegerField(
        _("TK tidak dibayar disabilitas perempuan"), default=0
    )
    # Lists that give only "Jumlah Tenaga Kerja": counted in the total, never guessed into
    # a sex or paid/unpaid column (the atlas shows them as "tidak dirinci").
    workers_unspecified = models.PositiveIntegerField(
        _("TK tanpa rincian"),
        default=0,
        help_text=_("Bila sumber hanya memberi jumlah, tanpa jenis kelamin atau status dibayar."),
    )
    workers_total = models.PositiveIntegerField(_("jumlah tenaga kerja"), default=0, editable=False)
    investment = models.BigIntegerField(
        _("nilai investasi (di luar tanah dan bangunan)"), null=True, blank=True
    )
    land_building_value = models.BigIntegerField(
        _("nilai tanah dan bangunan"), null=True, blank=True
    )
    initial_capital = models.BigIntegerField(_("modal pendirian"), null=True, blank=True)
    production_capacity = models.DecimalField(
        _("kapasitas produksi per tahun"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    production_capacity_unit = models.CharField(
        _("satuan kapasitas"), max_length=10, choices=CapacityUnit.choices, blank=True
    )
    production_value = models.BigIntegerField(_("nilai produksi per tahun"), null=True, blank=True)
    raw_material_value = models.BigIntegerField(
        _("nilai bahan baku per tahun"), null=True, blank=True
    )
    annual_turnover = models.BigIntegerField(_("omzet per tahun"), null=True, blank=True)
    assets = models.BigIntegerField(_("aset"), null=True, blank=True)

    # Life cycle
    started_year = models.PositiveSmallIntegerField(
        _("tahun mulai beroperasi"), null=True, blank=True
    )
    started_month = models.PositiveSmallIntegerField(
        _("bulan mulai beroperasi"), null=True, blank=True
    )
    first_recorded_on = models.DateField(_("pertama tercatat di dinas"), null=True, blank=True)
    closed_on = models.DateField(_("tanggal tutup"), null=True, blank=True)
    closed_reason = models.CharField(
        _("alasan tutup"), max_length=10, choices=CloseReason.choices, blank=True
    )
    closed_note = models.CharField(_("keterangan tutup"), max_length=300, blank=True)
    # The date the figures describe; an import replaces them only with newer ones.
    data_as_of = models.DateField(_("data per tanggal"), null=True, blank=True)

    # Derived, kept in step by save()
    scale = models.CharField(
        _("skala usaha"),
        max_length=10,
        choices=[("", _("Belum diketahui")), *Scale.choices],
        blank=True,
        editable=False,
        db_index=True,
    )
    # What the list's search reads: the folded name, owner, NIB, products and address
    # (nothing personal: NIK and phone are searched on their own columns, for the roles
    # that may see them).
    search_text = models.TextField(editable=False, default="")
    # The owner's phone as national digits ("0812…", lib.phone.phone_key), however it was
    # typed: personal data, searched only for roles that may see it.
    phone_key = models.CharField(max_length=20, editable=False, default="", db_index=True)
    # "Perlu dilengkapi": fields an import had to leave empty because the file's value
    # was unusable (a NIK Excel may have cut, an unreadable amount…). A field leaves the
    # list as soon as it has a value again (refresh_derived), so it lists what is missing.
    incomplete_fields = models.JSONField(
        _("perlu dilengkapi"), default=list, blank=True, editable=False
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Counts every write (save, import, merge, undo): an edit form carries the version it
    # was loaded from, and a submit against a newer one is refused (no lost update).
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)
    # Set while this record is merged away into another (cleared by undoing the merge):
    # such a record is read-only and links to the one it lives on in.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("digabung ke"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = IkmQuerySet.as_manager()

    class Meta:
        verbose_name = "IKM"
        verbose_name_plural = "IKM"
        ordering = ["name", "id"]
        # The list's default is active IKM sorted by name: partial indexes on the active
        # rows let it read the first page straight off an index for each common filter.
        indexes = [
            models.Index(fields=["name", "id"], condition=ACTIVE, name="ikm_active_name"),
            models.Index(fields=["kecamatan", "name"], condition=ACTIVE, name="ikm_active_kec"),
            models.Index(
                fields=["kecamatan", "subsector", "name"],
                condition=ACTIVE,
                name="ikm_active_kec_sub",
            ),
            models.Index(fields=["subsector", "name"], condition=ACTIVE, name="ikm_active_sub"),
            models.Index(fields=["desa", "name"], condition=ACTIVE, name="ikm_active_desa"),
            models.Index(fields=["kecamatan", "name"]),
            models.Index(fields=["desa", "name"]),
            models.Index(fields=["subsector", "name"]),
            models.Index(fields=["name", "id"]),
            models.Index(fields=["started_year"]),
            models.Index(fields=["first_recorded_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(investment__gte=0) | models.Q(investment__isnull=True),
                name="ikm_investment_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(started_month__gte=1, started_month__lte=12)
                | models.Q(started_month__isnull=True),
                name="ikm_started_month_valid",
            ),
            # One live IKM per NIB, enforced by the database so that two imports or
            # merges committing at once cannot both create it; closed records (a
            # merged-away twin, a business that stopped) keep theirs for the history.
            models.UniqueConstraint(
                fields=["nib"],
                condition=ACTIVE & ~models.Q(nib=""),
                name=NIB_UNIQUE_ACTIVE,
                violation_error_message=_("NIB ini sudah dipakai IKM aktif lain."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.closed_on is None

    @property
    def industry_class(self) -> str:
        return industry_class(workers=self.workers_total, investment=self.investment)

    @property
    def industry_class_label(self) -> str:
        value = self.industry_class
        return str(IndustryClass(value).label) if value else ""

    @property
    def workers_male(self) -> int:
        return self.workers_paid_male + self.workers_unpaid_male

    @property
    def workers_female(self) -> int:
        return self.workers_paid_female + self.workers_unpaid_female

    def clean_fields(self, exclude=None) -> None:
        # Derived fields are set by save(); validating them before then would only
        # report that they are still empty.
        super().clean_fields(exclude=set(exclude or ()) | DERIVED_FIELDS)

    def clean(self) -> None:
        """Field rules with Indonesian messages; forms, services and imports all call this."""
        errors: dict[str, StrOrPromise] = {}
        today = date.today()
        if self.owner_nik:
            try:
                self.owner_nik = validate_nik(
                    self.owner_nik,
                    birth_date=self.owner_birth_date,
                    sex=self.owner_sex or None,
                    today=today,  # the same day for every rule of this check
                )
            except IdentityError as exc:
                errors["owner_nik"] = str(exc)
        if self.nib:
            try:
                self.nib = validate_nib(self.nib)
            except IdentityError as exc:
                errors["nib"] = str(exc)
        if self.kbli_id and not (len(self.kbli_id) == 5 and self.kbli_id.isdigit()):
            errors["kbli"] = _("KBLI harus berupa kode kelompok 5 angka.")
        if self.desa_id and self.desa_id.count(".") != 3:
            errors["desa"] = _("Pilih desa/kelurahan, bukan wilayah yang lebih tinggi.")
        for name in MONEY_FIELDS + ["production_capacity"]:
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("Nilai tidak boleh negatif.")
        if self.started_year is not None and not (1900 <= self.started_year <= today.year):
            errors["started_year"] = _("Tahun mulai harus antara 1900 dan %(year)s.") % {
                "year": today.year
            }
        elif (
            self.started_year == today.year
            and self.started_month
            and self.started_month > today.month
        ):
            errors["started_month"] = _("Bulan mulai tidak boleh di masa depan.")
        if self.started_month is not None and not 1 <= self.started_month <= 12:
            errors["started_month"] = _("Bulan harus 1–12.")
        if self.first_recorded_on and self.first_recorded_on > today:
            errors["first_recorded_on"] = _("Tanggal tidak boleh di masa depan.")
        if self.closed_on:
            if self.closed_on > today:
                errors["closed_on"] = _("Tanggal tutup tidak boleh di masa depan.")
            elif self.started_year and self.closed_on.year < self.started_year:
                errors["closed_on"] = _("Tanggal tutup tidak boleh sebelum tahun mulai beroperasi.")
        if self.owner_birth_date and not (
            date(today.year - 100, 1, 1) <= self.owner_birth_date <= date(today.year - 10, 12, 31)
        ):
            errors["owner_birth_date"] = _("Tanggal lahir tidak masuk akal (umur 10–100 tahun).")
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("Lintang harus antara -90 dan 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("Bujur harus antara -180 dan 180.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Isi lintang dan bujur sekaligus, atau kosongkan keduanya.")
        for name in ("rt", "rw"):
            value = getattr(self, name)
            if value and not value.isdigit():
                errors[name] = _("RT/RW hanya berisi angka.")
        if self.postal_code and not (len(self.postal_code) == 5 and self.postal_code.isdigit()):
            errors["postal_code"] = _("Kode pos terdiri atas 5 angka.")
        if errors:
            raise ValidationError(errors)

    def refresh_derived(self) -> None:
        """Recompute every derived field; bulk writers call this before bulk_create."""
        # Kemendagri codes are hierarchical: the kecamatan is the desa code minus its last part.
        # None until a desa is chosen: full_clean reports the missing desa.
        self.kecamatan_id = self.desa_id.rsplit(".", 1)[0] if self.desa_id else None  # type: ignore[assignment]
        self.location_check = location_check(
            desa_code=self.desa_id, latitude=self.latitude, longitude=self.longitude
        )
        self.workers_total = (
            self.workers_paid_male
            + self.workers_paid_female
            + self.workers_unpaid_male
            + self.workers_unpaid_female
            + self.workers_unspecified
        )
        self.scale = business_scale(
            investment=self.investment, annual_turnover=self.annual_turnover
        )
        self.search_text = fold(
            " ".join(
                filter(
                    None, [self.name, self.owner_name, self.nib, self.main_products, self.address]
                )
            )
        )
        self.phone_key = phone_key(self.owner_phone)
        if self.incomplete_fields:
            self.incomplete_fields = [
                name
                for name in self.incomplete_fields
                if getattr(self, _ATTNAMES.get(name, name), None) in (None, "")
            ]

    @property
    def incomplete_labels(self) -> list[str]:
        return incomplete_labels(self.incomplete_fields)

    def save(self, *args, **kwargs) -> None:
        self.refresh_derived()
        if self.pk is not None and not self._state.adding:
            self.version += 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {
                "kecamatan",
                "workers_total",
                "scale",
                "search_text",
                "phone_key",
                "incomplete_fields",
                "updated_at",
                "version",
            }
        super().save(*args, **kwargs)


_ATTNAMES = {"kbli": "kbli_id", "subsector": "subsector_id", "desa": "desa_id"}


class SourceKind(models.TextChoices):
    MANUAL = "manual", _("Input petugas")
    SURVEY = "survei", _("Survei dinas")
    SIINAS = "siinas", _("SIINas")
    OSS = "oss", _("OSS/NIB")
    SIDT = "sidt", _("Satu Data UMKM (SIDT)")
    EXHIBITION = "pameran", _("Pendaftaran pameran")
    API = "api", _("API")
    PROVINCE = "provinsi", _("Dinas provinsi")
    OTHER = "lainnya", _("Lainnya")
    DEMO = "demo", _("Data contoh (sintetis)")


class IkmSource(models.Model):
    """Where a record came from; an IKM merged from several lists has several."""

    ikm = models.ForeignKey(Ikm, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("jenis sumber"), max_length=10, choices=SourceKind.choices)
    reference = models.CharField(
        _("rujukan"),
        max_length=300,
        blank=True,
        help_text=_("Berkas, lembar dan baris, atau keterangan lain."),
    )
    external_id = models.CharField(_("ID di sistem asal"), max_length=64, blank=True)
    # The import that brought this record in or updated it: a job's IKM are a query.
    import_job = models.ForeignKey(
        "imports.ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sources",
        verbose_name=_("impor"),
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("sumber data")
        verbose_name_plural = _("sumber data")
        indexes = [models.Index(fields=["kind", "external_id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}".strip()
