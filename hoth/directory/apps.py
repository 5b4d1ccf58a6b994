from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "hoth.directory"
    verbose_name = "Support services directory"
