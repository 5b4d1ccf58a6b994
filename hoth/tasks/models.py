"""Tasks: the actions meetings, panels and plans give to people. Everyone has
"My tasks"; coordinators see every overdue action across agencies.

A task knows the child or case it is for; where it came from points at it
(panels.MeetingAction.task), so this app depends on no meeting or plan."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access.policy import ScopedQuerySet


class TaskQuerySet(ScopedQuerySet):
    def outstanding(self):
        return self.filter(status=Task.Status.OPEN)

    def overdue(self, today=None):
        return self.outstanding().filter(due_date__lt=today or timezone.localdate())


class Task(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "To do"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200, help_text="What is to be done; no child's name in it")
    details = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks")
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="tasks")
    due_date = models.DateField(db_index=True)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.OPEN, db_index=True)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_note = models.TextField(blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self):
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()
