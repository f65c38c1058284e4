from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "sentra.opendata"
    verbose_name = "Data terbuka"
