from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "hoth.jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app declares its job kinds and daily schedules in its own
        # `jobs.py` (see hoth.jobs.registry); the worker and the pages need
        # them all, so they are imported once at start-up.
        autodiscover_modules("jobs")
