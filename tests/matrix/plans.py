"""Who may use the pages of the safety and support plan and its reviews.

plan.view: whoever sees the case. plan.edit and plan.record_review: the lead
professional, the case team and those working with the child, and
coordinators. In the matrix's world every casework user but the analyst works
with the in-scope child (the practitioner leads the case), so the readers
and the editors are the same roles; out of scope only coordinators."""

from django.utils import timezone

from hoth.accounts.models import Role
from hoth.cases.models import Case
from hoth.directory.models import Service
from hoth.plans import services
from hoth.plans.models import Review

from .common import PARTNERSHIP_WIDE, Rule

PLAN_PEOPLE = frozenset({Role.PRACTITIONER, Role.COORDINATOR, Role.PANEL_CHAIR})


def _case(world, scope):
    return Case.objects.create(
        person=world[scope], lead_professional=world["users"]["practitioner"], opened_by=world["users"]["coordinator"]
    )


def case(world, user, scope):
    return {"reference": _case(world, scope).reference}


def _plan_with_action(world, scope):
    opened = _case(world, scope)
    coordinator = world["users"]["coordinator"]
    action = services.add_action(
        opened,
        user=coordinator,
        read_version=0,
        what="Weekly mentoring",
        owner=world["users"]["practitioner"],
        due_date=timezone.localdate(),
    )
    return opened, action


def action(world, user, scope):
    opened, found = _plan_with_action(world, scope)
    return {"reference": opened.reference, "pk": found.pk}


def version(world, user, scope):
    opened, _ = _plan_with_action(world, scope)
    return {"reference": opened.reference, "number": 1}


def referral(world, user, scope):
    opened = _case(world, scope)
    service = Service.objects.create(
        name="Youth hub",
        provider="Youth service",
        offers="Talk",
        towns=["Crewe"],
        description_adult="Mentoring",
        description_child="Someone to talk to",
        is_published=True,
    )
    found = services.refer_to_service(
        opened,
        user=world["users"]["coordinator"],
        read_version=0,
        service=service,
        status="referred",
        on=timezone.localdate(),
    )
    return {"reference": opened.reference, "pk": found.pk}


def review(world, user, scope):
    opened = _case(world, scope)
    today = timezone.localdate()
    found = Review.objects.create(
        case=opened,
        held_on=today,
        practitioner_rating=5,
        period_start=today,
        what_changed="Steady",
        next_review_date=today,
        recorded_by=world["users"]["coordinator"],
    )
    return {"pk": found.pk}


RULES = {
    # plan.view: whoever sees the case.
    "plans:plan": Rule(allowed=PLAN_PEOPLE, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    "plans:print": Rule(allowed=PLAN_PEOPLE, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    "plans:version": Rule(allowed=PLAN_PEOPLE, out_of_scope=PARTNERSHIP_WIDE, kwargs=version),
    "plans:review": Rule(allowed=PLAN_PEOPLE, out_of_scope=PARTNERSHIP_WIDE, kwargs=review),
    # plan.edit: the lead professional, the case team and coordinators.
    "plans:edit": Rule(allowed=PLAN_PEOPLE, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    "plans:action-new": Rule(allowed=PLAN_PEOPLE, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    "plans:action": Rule(allowed=PLAN_PEOPLE, out_of_scope=PARTNERSHIP_WIDE, kwargs=action),
    "plans:referral-new": Rule(allowed=PLAN_PEOPLE, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    "plans:referral": Rule(allowed=PLAN_PEOPLE, out_of_scope=PARTNERSHIP_WIDE, kwargs=referral),
    # plan.record_review: as plan.edit.
    "plans:review-new": Rule(allowed=PLAN_PEOPLE, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
}
