from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    ANALYST = "analyst", _("Analis")
    COORDINATOR = "coordinator", _("Koordinator sertifikasi")
    OFFICER = "officer", _("Petugas")
    VIEWER = "viewer", _("Pemantau")


class User(AbstractUser):
    """A Sentra user. What a role may do lives in `sentra.accounts.permissions`."""

    role = models.CharField(_("peran"), max_length=12, choices=Role.choices, default=Role.VIEWER)
    kecamatan = models.ManyToManyField(
        "areas.Area",
        blank=True,
        limit_choices_to={"level": "kecamatan"},
        related_name="officers",
        verbose_name=_("kecamatan tugas"),
        help_text=_("Petugas hanya dapat mengubah IKM di kecamatan ini."),
    )
    # Not a field: the codes of `kecamatan`, kept on this object by
    # permissions._kecamatan_codes (a list page asks once per row).
    _sentra_kecamatan_codes: frozenset[str] | None = None

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def save(self, *args, **kwargs) -> None:
        # Superusers act as admins everywhere, including role checks in Sentra's own pages.
        if self.is_superuser:
            self.role = Role.ADMIN
        super().save(*args, **kwargs)
