from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sentra.audit"
    verbose_name = "Jejak audit"
