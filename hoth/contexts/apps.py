from django.apps import AppConfig


class ContextsConfig(AppConfig):
    name = "hoth.contexts"
    verbose_name = "Contexts: places, peer groups, schools and online spaces"
