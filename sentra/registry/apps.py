from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sentra.registry"
    verbose_name = "Registri IKM"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from sentra.registry import timeline

        post_migrate.connect(_ensure_search_index, sender=self)

        timeline.register(timeline.lifecycle_events)
        timeline.register(timeline.audit_events)


def _ensure_search_index(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from sentra.registry.search_index import ensure_sqlite_fts

    ensure_sqlite_fts(connections[using])
