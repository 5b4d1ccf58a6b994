from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "hoth.home"
