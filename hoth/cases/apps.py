from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "hoth.cases"
    verbose_name = "Children's cases and missing episodes"
