from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AtlasConfig(AppConfig):
    name = "sentra.atlas"
    verbose_name = "Atlas IKM"

    def ready(self) -> None:
        from sentra.atlas.tasks import refresh_after_demo
        from sentra.lib import demo, nav

        nav.register("atlas:map", gettext_lazy("Peta"), order=20)
        nav.register("atlas:growth", gettext_lazy("Pertumbuhan"), order=25)
        demo.register_after("atlas", refresh_after_demo)

        from sentra.atlas.tasks import request_refresh_on_commit
        from sentra.audit.signals import connect_audited

        # Every service writes an audit entry: rebuild the analytics tables once the
        # change is committed, so they are usually fresh before anybody looks.
        connect_audited(request_refresh_on_commit, dispatch_uid="atlas-refresh")
