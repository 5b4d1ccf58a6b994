"""Load every app's reference data from its versioned fixtures.

Each app that has reference data gives a `reference` module with a `load()`
function returning a one-line summary; this command runs them all. Safe to run
on every start (`make run` does)."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load or update reference data (name variants, indicators, codes) from versioned fixtures."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            module_name = f"{config.name}.reference"
            if not config.name.startswith("hoth.") or find_spec(module_name) is None:
                continue
            module = import_module(module_name)
            if callable(getattr(module, "load", None)):
                summary = module.load()
                self.stdout.write(f"{config.label}: {summary}")
