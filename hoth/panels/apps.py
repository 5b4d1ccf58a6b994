from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "hoth.panels"
    verbose_name = "Meetings and panels"
