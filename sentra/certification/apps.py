from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CertificationConfig(AppConfig):
    name = "sentra.certification"
    verbose_name = "Sertifikasi kompetensi"

    def ready(self) -> None:
        from sentra.certification import demo
        from sentra.certification.models import Outcome
        from sentra.certification.timeline import certification_events
        from sentra.lib import cache, nav
        from sentra.lib import demo as demo_hooks
        from sentra.registry import timeline

        cache.watch(Outcome)  # certificates count in cached figures
        timeline.register(certification_events)
        nav.register("certification:progress", gettext_lazy("Sertifikasi"), order=40)
        demo_hooks.register("certification", demo.build)
