from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "hoth.backups"
    verbose_name = "Backups"
