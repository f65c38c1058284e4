from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sentra.accounts"
    verbose_name = "Akun"
