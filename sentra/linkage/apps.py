from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "sentra.linkage"
    verbose_name = _("Deduplikasi")

    def ready(self) -> None:
        from sentra.lib import demo, duplicates, nav
        from sentra.linkage import demo as linkage_demo
        from sentra.linkage.selectors import registered_twins
        from sentra.linkage.timeline import merge_events
        from sentra.registry import timeline

        timeline.register(merge_events)
        duplicates.register(registered_twins)
        demo.register("linkage", linkage_demo.build)
        nav.register("linkage:pair_list", _("Duplikat"), order=30)
