"""Who may use the task pages: everyone has their own tasks; coordinators
see (and may close) every agency's, and the overdue actions everywhere."""

from django.utils import timezone

from hoth.tasks.models import Task

from .common import EVERYONE_SIGNED_IN, IN_SCOPE, PARTNERSHIP_WIDE, Rule


def task(world, user, scope):
    """In scope: the signed-in user's own task; out of scope: someone else's."""
    owner = user if scope == IN_SCOPE and user is not None else world["someone_else"]
    made = Task.objects.create(
        title="Visit at school",
        owner=owner,
        owner_agency=owner.agency,
        due_date=timezone.localdate(),
        created_by=world["users"]["coordinator"],
        person=world[IN_SCOPE],
    )
    return {"pk": made.pk}


RULES = {
    # task.list: everyone signed in has "My tasks".
    "tasks:mine": Rule(allowed=EVERYONE_SIGNED_IN),
    # task.view_all_overdue: coordinators.
    "tasks:overdue": Rule(allowed=PARTNERSHIP_WIDE),
    # task.view: own tasks; coordinators every task.
    "tasks:detail": Rule(allowed=EVERYONE_SIGNED_IN, out_of_scope=PARTNERSHIP_WIDE, kwargs=task),
    # task.update: the owner, or a coordinator.
    "tasks:complete": Rule(
        allowed=EVERYONE_SIGNED_IN,
        out_of_scope=PARTNERSHIP_WIDE,
        kwargs=task,
        method="POST",
        data={"note": "Visited; spoke to the designated safeguarding lead"},
    ),
}
