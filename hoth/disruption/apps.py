from django.apps import AppConfig


class DisruptionConfig(AppConfig):
    name = "hoth.disruption"
    verbose_name = "Disruption: tactics, plans and activities against people and places of harm"
