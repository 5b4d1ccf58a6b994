from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "hoth.insight"
    verbose_name = "Insight: the board's measures, equality and reports"
