from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "sentra.letters"
    verbose_name = "Surat"
