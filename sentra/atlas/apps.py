from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AtlasConfig(AppConfig):
    name = "sentra.atlas"
    verbose_name = "Atlas IKM"

    def ready(self) -> None:
        from sentra.lib import nav

        nav.register("atlas:map", gettext_lazy("Peta"), order=20)
        nav.register("atlas:growth", gettext_lazy("Pertumbuhan"), order=25)
