from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "hoth.access"
    verbose_name = "Access gate"
