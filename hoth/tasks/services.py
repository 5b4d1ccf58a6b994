"""Setting and finishing tasks. Meetings, panels and plans all set tasks
through create_task, so that every owner is told the same way."""

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hoth.access import policy
from hoth.audit import log
from hoth.notifications.services import notify

from .models import Task


@transaction.atomic
def create_task(*, title, owner, due_date, created_by, person=None, case=None, details="", audit=None):
    """Give `owner` a task and tell them in the app and by email. The title
    must not name a child: notifications and task lists travel further than
    the child's record does."""
    task = Task.objects.create(
        title=title,
        details=details,
        owner=owner,
        owner_agency=owner.agency,
        due_date=due_date,
        person=person,
        case=case,
        created_by=created_by,
    )
    log.record("create", audit=audit, user=created_by, obj=task, person=person)
    try:
        url = reverse("tasks:detail", args=[task.pk])
    except NoReverseMatch:
        url = ""
    notify(owner, "You have a new task", f"{title}. Due {due_date:%-d %B %Y}.", url)
    return task


@transaction.atomic
def complete_task(task, *, user, note="", audit=None):
    policy.check(user, "task.update", task)
    task.status = Task.Status.DONE
    task.completed_at = timezone.now()
    task.completed_note = note
    task.save(update_fields=["status", "completed_at", "completed_note"])
    log.record("update", audit=audit, user=user, obj=task, person=task.person_id, detail={"status": task.status})
    return task
