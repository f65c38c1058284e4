from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "provinsi", _("Provinsi")
    REGENCY = "kabupaten_kota", _("Kabupaten/Kota")
    DISTRICT = "kecamatan", _("Kecamatan")
    VILLAGE = "desa_kelurahan", _("Desa/Kelurahan")


class VillageKind(models.TextChoices):
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")


class AreaQuerySet(models.QuerySet["Area"]):
    def kecamatan(self) -> "AreaQuerySet":
        return self.filter(level=Level.DISTRICT)

    def villages(self) -> "AreaQuerySet":
        return self.filter(level=Level.VILLAGE)


class Area(models.Model):
    """A Kemendagri administrative area: province → kabupaten/kota → kecamatan → desa/kelurahan.

    The Kemendagri code is the key ("51.71.01.1001"), so another city's office loads
    its own tree without renumbering anything.
    """

    code = models.CharField(_("kode Kemendagri"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.CharField(_("tingkat"), max_length=16, choices=Level.choices, db_index=True)
    village_kind = models.CharField(
        _("desa/kelurahan"), max_length=10, choices=VillageKind.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    # GeoJSON geometry (EPSG:4326). Indicative boundaries, not cadastral ones.
    geometry = models.JSONField(_("batas wilayah"), null=True, blank=True)
    area_km2 = models.FloatField(_("luas (km², perkiraan)"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        if self.level == Level.VILLAGE and self.village_kind:
            return self.get_village_kind_display()
        return self.get_level_display()
