from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sentra.registry"
    verbose_name = "Registri IKM"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from sentra.lib import cache, demo
        from sentra.registry import timeline
        from sentra.registry.models import Ikm
        from sentra.registry.selectors import demo_data_present

        post_migrate.connect(_ensure_search_index, sender=self)
        cache.watch(Ikm)  # bulk loads write no audit entries
        demo.register_marker(demo_data_present)

        timeline.register(timeline.lifecycle_events)
        timeline.register(timeline.audit_events)


def _ensure_search_index(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from sentra.registry.search_index import ensure_sqlite_fts

    ensure_sqlite_fts(connections[using])
