from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "hoth.screening"
    verbose_name = "Screening tool and screenings"
