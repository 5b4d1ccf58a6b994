from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "hoth.intelligence"
    verbose_name = "Intelligence: partner intelligence, subjects of concern and graded links"
