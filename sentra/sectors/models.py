from django.db import models
from django.utils.translation import gettext_lazy as _


class KbliLevel(models.TextChoices):
    SECTION = "kategori", _("Kategori")
    DIVISION = "golongan_pokok", _("Golongan pokok")
    GROUP = "golongan", _("Golongan")
    CLASS = "subgolongan", _("Subgolongan")
    SUBCLASS = "kelompok", _("Kelompok")


class Kbli(models.Model):
    """KBLI 2020 (Peraturan BPS No. 2/2020); an IKM is classified at the 5-digit kelompok."""

    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    title = models.CharField(_("judul"), max_length=300)
    level = models.CharField(_("tingkat"), max_length=16, choices=KbliLevel.choices)
    section = models.CharField(_("kategori"), max_length=1, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "KBLI"
        verbose_name_plural = "KBLI 2020"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def group_code(self) -> str:
        """The 3-digit golongan, the level at which sentra IKM are grouped."""
        return self.code[:3]


class Scheme(models.TextChoices):
    BEKRAF_16 = "bekraf_16", _("Bekraf (16 subsektor)")
    KEMENPAREKRAF_17 = "kemenparekraf_17", _("Kemenparekraf (17 subsektor)")


class Subsector(models.Model):
    """A creative-economy subsector. Codes are Sentra's own: no official code exists."""

    code = models.CharField(_("kode"), max_length=6, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    name_en = models.CharField(_("nama (Inggris)"), max_length=100)
    scheme = models.CharField(_("skema"), max_length=20, choices=Scheme.choices, db_index=True)
    aliases = models.CharField(_("nama lain"), max_length=200, blank=True)
    counterparts = models.ManyToManyField(
        "self", symmetrical=False, blank=True, verbose_name=_("padanan di skema lain")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("subsektor ekonomi kreatif")
        verbose_name_plural = _("subsektor ekonomi kreatif")

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.split(";") if a.strip()]
