"""The panel's action tracker: every action the Child Exploitation Operational
Panel agreed, across its meetings, with the task it became; and the daily
escalation of overdue actions to the chair of the meeting that agreed them.

Once confirmed, an action lives on as its task: the task's status and due
date are the ones that count.
"""

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hoth.audit import log
from hoth.notifications.services import notify
from hoth.tasks.models import Task

from .models import Meeting, MeetingAction

OPEN, OVERDUE, DONE = "open", "overdue", "done"
STATUS_CHOICES = [("", "Any status"), (OPEN, "To do, not overdue"), (OVERDUE, "Overdue"), (DONE, "Done")]


def panel_actions(meetings):
    """The actions agreed at these (visible) panel meetings once confirmed:
    only then are they tasks someone must do."""
    return (
        MeetingAction.objects.filter(
            item__meeting__in=meetings.filter(kind=Meeting.Kind.PANEL, status=Meeting.Status.CONFIRMED),
            task__isnull=False,
        )
        .select_related("owner", "owner_agency", "task", "item__meeting", "item__person", "item__context")
        .order_by("task__due_date", "pk")
    )


def filter_actions(actions, *, status="", agency=None, owner=None, meeting=None, today=None):
    today = today or timezone.localdate()
    if status == OPEN:
        actions = actions.filter(task__status=Task.Status.OPEN, task__due_date__gte=today)
    elif status == OVERDUE:
        actions = actions.filter(task__status=Task.Status.OPEN, task__due_date__lt=today)
    elif status == DONE:
        actions = actions.filter(task__status=Task.Status.DONE)
    if agency is not None:
        actions = actions.filter(owner_agency=agency)
    if owner is not None:
        actions = actions.filter(owner=owner)
    if meeting is not None:
        actions = actions.filter(item__meeting=meeting)
    return actions


def overdue_actions(today=None):
    today = today or timezone.localdate()
    return MeetingAction.objects.filter(
        item__meeting__kind=Meeting.Kind.PANEL,
        item__meeting__status=Meeting.Status.CONFIRMED,
        task__status=Task.Status.OPEN,
        task__due_date__lt=today,
    )


def _tracker_url():
    try:
        return reverse("panels:tracker") + "?status=overdue"
    except NoReverseMatch:
        return ""


def escalate_overdue_actions(today=None):
    """Tell the chair about each overdue panel action, once per action, however
    often this runs. Each action is claimed and told in its own transaction,
    so a failure part way leaves the ones done marked and the rest for the
    next run. Returns the actions escalated."""
    escalated = []
    for pk in list(overdue_actions(today).filter(escalated_at__isnull=True).values_list("pk", flat=True)):
        with transaction.atomic():
            action = MeetingAction.objects.select_for_update().filter(pk=pk, escalated_at__isnull=True).first()
            if action is None:  # another run got there first
                continue
            meeting = action.item.meeting
            owner = action.owner
            # No child's or suspect's name: notifications also go by email.
            notify(
                meeting.chair,
                "A panel action is overdue",
                f"An action agreed at the panel on {timezone.localtime(meeting.starts_at):%-d %B %Y} was due "
                f'on {action.task.due_date:%-d %B %Y} and is not done: "{action.description}" '
                f"({owner.full_name}, {action.owner_agency.name}).",
                _tracker_url(),
            )
            action.escalated_at = timezone.now()
            action.save(update_fields=["escalated_at"])
            log.record(
                "update",
                actor="escalate_overdue_panel_actions",
                obj=meeting,
                detail={"escalated_action": action.pk, "chair": meeting.chair_id, "task": action.task_id},
            )
            escalated.append(action)
    return escalated
