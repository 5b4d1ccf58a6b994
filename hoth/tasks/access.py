"""Who may see and update the tasks the platform sets people."""

from hoth.access.policy import may_see, rule, scope
from hoth.access.roles import PARTNERSHIP_WIDE_ROLES
from hoth.accounts.roles import Role


@scope("tasks.Task")
def visible_tasks(user, tasks):
    """Everyone sees their own tasks; coordinators every agency's, to chase
    overdue actions. Task titles carry no child's name."""
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return tasks
    return tasks.filter(owner=user)


@rule("task.list")
def list_tasks(user, obj):
    """ "Your tasks": everyone signed in."""
    return True


@rule("task.view")
def view(user, task):
    """A task: whoever sees it."""
    return task is None or may_see(user, task)


@rule("task.update")
def update(user, task):
    """Completing or reassigning a task: its owner, or a coordinator."""
    return task is None or task.owner_id == user.pk or user.has_role(Role.COORDINATOR)


@rule("task.view_all_overdue")
def view_all_overdue(user, obj):
    """Every agency's overdue actions, to chase them: coordinators."""
    return user.has_role(Role.COORDINATOR)
