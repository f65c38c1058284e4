from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "sentra.areas"
    verbose_name = "Wilayah"
