"""Who may use the disruption pages and the catalogue of tactics.

Disruption (hoth.disruption.access) is for those who work with
intelligence: analysts, coordinators and panel chairs, about subjects they
may see. The in-scope subject is the in-scope child, named in intelligence
(so analysts and panel chairs see her); the out-of-scope one is the other
child, whom only coordinators see. Recording and moving disruption on
(disruption.manage) is for analysts and coordinators; reviewing a plan
(disruption.review) for them and panel chairs. Practitioners outside the
police, school staff included, see nothing of it. The catalogue of tactics is
reference data: system administrators only."""

from datetime import timedelta

from django.utils import timezone

from hoth.accounts.models import Role
from hoth.disruption import reference
from hoth.disruption.models import DisruptionActivity, DisruptionPlan, Tactic
from hoth.intelligence.models import Subject
from tests.matrix.common import PARTNERSHIP_WIDE, SYSTEM_ADMINISTRATORS, Rule

READERS = frozenset({Role.ANALYST, Role.COORDINATOR, Role.PANEL_CHAIR})
RECORDERS = frozenset({Role.ANALYST, Role.COORDINATOR})
REVIEWERS = READERS


def _subject(world, scope):
    key = f"disruption subject {scope}"
    if key not in world:
        person = world[scope]
        world[key] = Subject.objects.filter(person=person).first() or Subject.objects.create(
            reference=person.reference, kind="person", person=person
        )
    return world[key]


def _activity(world, scope):
    key = f"disruption activity {scope}"
    if key not in world:
        reference.load()
        subject = _subject(world, scope)
        owner = world["users"]["coordinator"]
        plan = DisruptionPlan.objects.create(
            subject=subject,
            owner=owner,
            lead_agency=owner.agency,
            objective="Stop him contacting children",
            next_review_on=timezone.localdate() + timedelta(days=28),
        )
        world[key] = DisruptionActivity.objects.create(
            plan=plan,
            subject=subject,
            tactic=Tactic.objects.get(code="sexual-risk-order"),
            lead_agency=owner.agency,
            officer=owner,
            status="in_force",
            applied_on=timezone.localdate() - timedelta(days=10),
            granted_on=timezone.localdate() - timedelta(days=5),
        )
    return world[key]


def subject(world, user, scope):
    return {"reference": _subject(world, scope).reference}


def subject_with_plan(world, user, scope):
    return {"reference": _activity(world, scope).subject.reference}


def new_details(world, user, scope):
    reference.load()
    return {"reference": _subject(world, scope).reference, "code": "sexual-risk-order"}


def activity(world, user, scope):
    return {"reference": _activity(world, scope).reference}


def tactic(world, user, scope, active=True):
    reference.load()
    found = Tactic.objects.get(code="gang-injunction")
    if found.is_active != active:
        found.is_active = active
        found.save()
    return {"pk": found.pk}


def switched_off_tactic(world, user, scope):
    return tactic(world, user, scope, active=False)


RULES = {
    # disruption.view: those who work with intelligence, about subjects they may see.
    "disruption:list": Rule(allowed=READERS),
    "disruption:plans": Rule(allowed=READERS),
    "disruption:plan": Rule(allowed=READERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=subject_with_plan),
    "disruption:activity": Rule(allowed=READERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=activity),
    # disruption.manage: analysts and coordinators.
    "disruption:start": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=subject, method="POST"),
    "disruption:new": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=subject),
    "disruption:new-details": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=new_details),
    "disruption:activity-update": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=activity),
    "disruption:activity-children": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=activity),
    "disruption:breach-new": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=activity),
    "disruption:outcome": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=activity),
    # disruption.review: analysts, coordinators and panel chairs.
    "disruption:review": Rule(allowed=REVIEWERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=subject_with_plan),
    # reference_data.manage: the catalogue of tactics.
    "tactics:list": Rule(allowed=SYSTEM_ADMINISTRATORS),
    "tactics:create": Rule(allowed=SYSTEM_ADMINISTRATORS),
    "tactics:edit": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=tactic),
    "tactics:switch-off": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=tactic),
    "tactics:switch-on": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=switched_off_tactic),
}
