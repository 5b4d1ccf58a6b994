"""Who may read and change a case's safety and support plan."""

from hoth.access.policy import can, rule, scope, visible
from hoth.access.roles import INVOLVEMENT_ROLES
from hoth.accounts.roles import Role
from hoth.cases.access import on_case_team, sees_case
from hoth.cases.models import Case


@scope("plans.Plan")
def visible_plans(user, plans):
    """The plans of the cases the user sees."""
    return plans.filter(case__in=visible(user, Case.objects.all()))


@rule("plan.view")
def view(user, case):
    """The safety and support plan and its reviews: whoever sees the case."""
    return can(user, "case.view", case)


@rule("plan.edit")
def edit(user, case):
    """The lead professional, the case team (those working with the child) and
    coordinators change the plan (issue 4)."""
    if case is None:
        return user.has_role(Role.COORDINATOR, *INVOLVEMENT_ROLES)
    if not sees_case(user, case):
        return False
    if user.has_role(Role.COORDINATOR):
        return True
    return user.has_role(*INVOLVEMENT_ROLES) and on_case_team(user, case)


@rule("plan.record_review")
def record_review(user, case):
    """Recording a review of the plan: whoever may change it."""
    return edit(user, case)
