from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running Sentra in production: backup and restore of the database and uploads."""

    name = "sentra.ops"
    verbose_name = _("Operasional")
