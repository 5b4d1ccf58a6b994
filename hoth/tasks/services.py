"""Setting and finishing tasks. Meetings, panels and plans all set tasks
through create_task, so that every owner is told the same way."""

import datetime

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.cases.models import Case
from hoth.notifications.services import notify
from hoth.people.models import Person

from .models import Task


@transaction.atomic
def create_task(
    *,
    title: str,
    owner: User,
    due_date: datetime.date,
    created_by: User,
    person: Person | None = None,
    case: Case | None = None,
    details: str = "",
    audit: AuditContext | None = None,
) -> Task:
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
def complete_task(task: Task, *, user: User, note: str = "", audit: AuditContext | None = None) -> Task:
    policy.check(user, "task.update", task)
    task.status = Task.Status.DONE
    task.completed_at = timezone.now()
    task.completed_note = note
    task.save(update_fields=["status", "completed_at", "completed_note"])
    log.record("update", audit=audit, user=user, obj=task, person=task.person_id, detail={"status": task.status})
    return task
