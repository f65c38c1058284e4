from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "sentra.imports"
    verbose_name = _("Impor data")

    def ready(self) -> None:
        from sentra.lib import nav

        nav.register("imports:upload", _("Impor"), order=40, roles=("officer",))
