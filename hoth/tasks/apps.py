from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "hoth.tasks"
    verbose_name = "Tasks and actions"
