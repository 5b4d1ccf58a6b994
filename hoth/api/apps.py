from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hoth.api"
