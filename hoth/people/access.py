"""Who may see and change a person's record."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from hoth.access import memo
from hoth.access.involvement import break_glass_people, involved_with, records_about_people, source, team_ids
from hoth.access.policy import check, rule, scope, visible
from hoth.access.roles import CASEWORK_ROLES, CREATE_PERSON_ROLES, INVOLVEMENT_ROLES, PARTNERSHIP_WIDE_ROLES
from hoth.accounts.roles import Role

from .models import Involvement, Person

memo.forget_when_changed(Involvement)


@source
def involvements(user, now):
    """The people `user`, or one of their teams, is involved with now."""
    active = Involvement.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
    teams = team_ids(user)
    return (active.filter(Q(user=user) | Q(team__in=teams)) if teams else active.filter(user=user)).values("person_id")


@scope("people.Person")
def visible_people(user, people):
    """Coordinators see everyone; practitioners and panel chairs the people
    they or their team work with; analysts the subjects of intelligence;
    panel chairs also the persons of concern to the panel and those on its
    agenda; every casework role whoever they hold a break-glass grant for."""
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return people
    allowed = Q(pk__in=[])
    if user.has_role(*INVOLVEMENT_ROLES):
        allowed |= involved_with(user, "pk", read_once=False)
    if user.has_role(Role.ANALYST):
        allowed |= Q(intelligence_subject=True) | Q(pk__in=break_glass_people(user, timezone.now()))
    # Persons of concern to the panel (issue 4, section 2): those flagged of
    # concern, not every child an analyst or a proposal named.
    if user.has_role(Role.PANEL_CHAIR):
        allowed |= Q(subject__of_concern=True)
    return people.filter(allowed)


def people_hidden_from(user, people):
    """The people of a Person queryset this user may NOT see. Only the check
    before recording a new person looks here (hoth.people.other_agencies), to
    offer emergency access without saying who was found."""
    return people.exclude(Exists(visible(user, Person.objects.all()).filter(pk=OuterRef("pk"))))


def casework_people(user, people):
    """The people whose casework records (cases, screenings, missing episodes)
    this user reads: narrower than the person scope for analysts, who see a
    child named in intelligence but not the child's casework."""
    return records_about_people(user, people, person_field="pk")


def sees_person(user, person):
    return memo.remembered(
        ("person", user.pk, person.pk), lambda: visible(user, Person.objects.filter(pk=person.pk)).exists()
    )


def is_lead_professional(user, person):
    return Involvement.objects.filter(
        person=person, user=user, kind=Involvement.Kind.LEAD_PROFESSIONAL, ended_at__isnull=True
    ).exists()


def find_person(user, reference, action="person.view"):
    """The person with `reference`, if `user` may see them and do `action`.
    A person's record is the one that answers 403 rather than 404 for someone
    outside the user's sight: the refusal page is where emergency access
    (break-glass) is asked for, and a person's reference is only ever known
    to those who have been told it."""
    person = visible(user, Person.objects.all()).filter(reference=reference).first()
    if person is None:
        if Person.objects.filter(reference=reference).exists():
            raise PermissionDenied(action)
        raise Http404("No person with that reference")
    check(user, action, person)
    return person


@rule("register.count")
def count_register(user, obj):
    """Counts of the register (people by the town they live in), never a
    name, small counts suppressed: managers and board members."""
    return user.has_role(Role.MANAGER)


@rule("person.search")
def search(user, obj):
    """Searching the register: the casework roles."""
    return user.has_role(*CASEWORK_ROLES)


@rule("person.view")
def view(user, person):
    """A person's record: casework roles who may see the person."""
    return user.has_role(*CASEWORK_ROLES) and (person is None or sees_person(user, person))


@rule("person.create")
def create(user, obj):
    """Recording a new person: practitioners and coordinators."""
    return user.has_role(*CREATE_PERSON_ROLES)


@rule("person.update")
def update(user, person):
    """Changing a person's details: practitioners and coordinators who may see them."""
    return user.has_role(*CREATE_PERSON_ROLES) and (person is None or sees_person(user, person))


@rule("person.break_glass")
def break_glass(user, person):
    """Casework roles may ask for emergency access to someone outside their
    scope. Without a person: whether this user could ever ask (to offer the way)."""
    if not user.has_role(*CASEWORK_ROLES) or user.is_service_account:
        return False
    return person is None or not sees_person(user, person)


@rule("person.view_access_history")
def view_access_history(user, person):
    """Who has seen this record: the lead professional, coordinators and
    auditors (a subject access request needs it). Without a person (the view
    decorator's first check) it asks "may see some person's history"."""
    if person is None:
        return user.has_role(Role.AUDITOR, *CASEWORK_ROLES)
    return user.has_role(Role.AUDITOR) or (
        user.has_role(*CASEWORK_ROLES)
        and sees_person(user, person)
        and (user.has_role(Role.COORDINATOR) or is_lead_professional(user, person))
    )
