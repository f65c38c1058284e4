from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ExhibitionsConfig(AppConfig):
    name = "sentra.exhibitions"
    verbose_name = "Pameran dan wirausaha muda"

    def ready(self) -> None:
        from sentra.exhibitions import demo as exhibitions_demo
        from sentra.exhibitions.models import Application, StudentIkmLink, StudentRole
        from sentra.exhibitions.timeline import exhibition_events
        from sentra.lib import cache, demo, nav
        from sentra.registry import timeline

        # Young founders and the exhibited count are cached figures (dashboard, growth).
        cache.watch(Application, StudentIkmLink, StudentRole)
        timeline.register(exhibition_events)
        nav.register("exhibitions:list", gettext_lazy("Pameran"), order=45)
        demo.register("exhibitions", exhibitions_demo.build)
