"""Run daily (cron or a scheduler): tell each panel chair about actions agreed
at their panel that are now overdue. Running it twice tells no one twice."""

from django.core.management.base import BaseCommand

from hoth.panels.tracker import escalate_overdue_actions


class Command(BaseCommand):
    help = "Tell panel chairs about overdue panel actions, once per action."

    def handle(self, *args, **options):
        escalated = escalate_overdue_actions()
        count = len(escalated)
        self.stdout.write(f"{count} overdue panel action{'s' if count != 1 else ''} escalated to the chair")
