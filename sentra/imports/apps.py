from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "sentra.imports"
    verbose_name = _("Impor data")

    def ready(self) -> None:
        from sentra.accounts.permissions import can_import
        from sentra.lib import nav

        nav.register("imports:upload", _("Impor"), order=40, allowed=can_import)
