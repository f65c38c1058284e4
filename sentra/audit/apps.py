from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sentra.audit"
    verbose_name = "Jejak audit"

    def ready(self) -> None:
        from sentra.audit.models import AuditEntry
        from sentra.lib import cache

        # Every audited write moves the data version of cached figures.
        cache.watch(AuditEntry)
