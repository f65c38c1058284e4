from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "sentra.certification"
