from django.apps import AppConfig


class SectorsConfig(AppConfig):
    name = "sentra.sectors"
    verbose_name = "Sektor (KBLI dan ekonomi kreatif)"
