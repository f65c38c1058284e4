from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CoachingConfig(AppConfig):
    name = "sentra.coaching"
    verbose_name = "Pembinaan IKM"

    def ready(self) -> None:
        from sentra.coaching import demo as coaching_demo
        from sentra.coaching.models import Participation
        from sentra.coaching.timeline import coaching_events
        from sentra.lib import cache, demo, nav
        from sentra.registry import timeline

        cache.watch(Participation)

        timeline.register(coaching_events)
        nav.register("coaching:overview", gettext_lazy("Pembinaan"), order=30)
        demo.register("coaching", coaching_demo.build)
