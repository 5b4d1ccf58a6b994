"""Who may see and record disruption: plans against subjects of concern, the
activities under them, breaches and reviews."""

from hoth.access.policy import may_see, rule, scope, visible
from hoth.access.roles import PARTNERSHIP_WIDE_ROLES, works_with_intelligence
from hoth.accounts.roles import Role
from hoth.intelligence.models import Subject


def _about_visible_subjects(user, records, subject_field):
    """Disruption records, for those who work with intelligence, about
    subjects they may see (the people they are against included)."""
    if not works_with_intelligence(user):
        return records.none()
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return records
    return records.filter(**{f"{subject_field}__in": visible(user, Subject.objects.all()).values("pk")})


@scope("disruption.DisruptionPlan")
def visible_plans(user, plans):
    """Disruption plans against subjects the user may see, for those who work with intelligence."""
    return _about_visible_subjects(user, plans, "subject")


@scope("disruption.DisruptionActivity")
def visible_activities(user, activities):
    """Disruption activities against subjects the user may see, for those who work with intelligence."""
    return _about_visible_subjects(user, activities, "subject")


@scope("disruption.Breach")
def visible_breaches(user, breaches):
    """Breaches of activities the user may see."""
    return _about_visible_subjects(user, breaches, "activity__subject")


@scope("disruption.DisruptionPlanReview")
def visible_reviews(user, reviews):
    """Reviews of plans the user may see."""
    return _about_visible_subjects(user, reviews, "plan__subject")


@rule("disruption.view")
def view(user, record):
    """A disruption plan, activity, breach or review (or None: may this user
    see any): those who work with intelligence, about subjects they may see."""
    if record is None:
        return works_with_intelligence(user)
    return may_see(user, record)


@rule("disruption.manage")
def manage(user, subject):
    """Recording disruption against a subject (record: the Subject, or None):
    analysts and coordinators, for subjects they may see."""
    if not user.has_role(Role.ANALYST, Role.COORDINATOR):
        return False
    return subject is None or may_see(user, subject)


@rule("disruption.review")
def review(user, plan):
    """Reviewing a disruption plan, at the panel or between panels: analysts,
    coordinators and panel chairs who may see it."""
    if not user.has_role(Role.ANALYST, Role.COORDINATOR, Role.PANEL_CHAIR):
        return False
    return plan is None or may_see(user, plan)
