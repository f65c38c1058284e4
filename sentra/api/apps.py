from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sentra.api"
    verbose_name = "API"
