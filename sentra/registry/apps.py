from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sentra.registry"
    verbose_name = "Registri IKM"

    def ready(self) -> None:
        from sentra.registry import timeline

        timeline.register(timeline.lifecycle_events)
        timeline.register(timeline.audit_events)
