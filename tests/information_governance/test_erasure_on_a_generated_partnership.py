"""Erasure on a tiny generated partnership: a child and an adult of concern,
past their triggers, are proposed, approved and erased. Afterwards no row
anywhere holds their names or identifiers (every text column searched,
encrypted ones decrypted), the figures the board counts are unchanged, and
the audit log, which is never touched, still verifies and still names the
erased records by id.

One partnership is generated for the module and rolled back at the end;
each test rolls back its own erasure.
"""

import re
from collections import Counter
from datetime import date

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import Count, Sum

from hoth.audit.log import verify
from hoth.audit.models import AuditEvent, AuditEventPerson
from hoth.cases.models import Case, MissingEpisode
from hoth.contexts.models import Incident
from hoth.disruption.models import DisruptionActivity
from hoth.information_governance import reference
from hoth.information_governance.erasure import person_terms
from hoth.information_governance.models import RetentionItem, RetentionRule
from hoth.information_governance.services import approve, propose_due
from hoth.intelligence.models import Link, Subject
from hoth.people.models import Identifier, Person, PhoneNumber
from hoth.plans.models import Review
from hoth.referrals.models import Referral
from hoth.screening.models import Screening
from hoth.synthetic.generator import demo_email, generate
from hoth.synthetic.models import TrueIdentity
from tests.conftest import run_queued_jobs

from .conftest import moment

TODAY = date(2026, 11, 26)
LATER = moment(2100)
NOT_SEARCHED = {"audit.AuditEvent", "audit.AuditEventPerson"}


@pytest.fixture(scope="module")
def partnership(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            generator = generate("tiny", seed=3, today=TODAY)
            reference.load()
            yield generator
            transaction.set_rollback(True)


@pytest.fixture
def generated(partnership, db):
    return partnership


def dpo():
    from hoth.accounts.models import User

    return User.objects.get(email=demo_email("auditor"))


def only_rules(*codes):
    RetentionRule.objects.exclude(code__in=codes).update(is_active=False)


def stands_alone(person):
    """No other record holds the same names or numbers for their own reasons
    (another agency's record of the same individual, a shared phone)."""
    cluster = TrueIdentity.objects.get(person=person).cluster_id
    return (
        TrueIdentity.objects.filter(cluster_id=cluster).count() == 1
        and not Person.objects.exclude(pk=person.pk)
        .filter(given_names=person.given_names, family_name=person.family_name)
        .exists()
        and not Identifier.objects.exclude(person=person).filter(value__in=person.identifiers.values("value")).exists()
        and not PhoneNumber.objects.exclude(person=person).filter(e164__in=person.phone_numbers.values("e164")).exists()
    )


def busiest(people):
    return max(
        people,
        key=lambda p: (
            p.referrals.count() + p.screenings.count() + p.missing_episodes.count() + p.cases.count(),
            -p.pk,
        ),
    )


def a_child_to_erase():
    closed_only = Person.objects.filter(cases__status="closed").exclude(cases__status="open").distinct()
    candidates = [
        p
        for p in closed_only
        if stands_alone(p)
        and not p.missing_episodes.filter(ended_at=None)
        and not DisruptionActivity.objects.filter(children=p, status__in=("planned", "applied", "in_force")).exists()
    ]
    return busiest(candidates)


def an_adult_of_concern_to_erase():
    concern = Person.objects.filter(subject__of_concern=True, date_of_birth__lt=date(2000, 1, 1))
    candidates = [p for p in concern if stands_alone(p) and not p.referrals.exists() and not p.cases.exists()]
    adult = max(candidates, key=lambda p: (Link.objects.of(p.subject).count(), -p.pk))
    # Every generated adult of concern has disruption against them: theirs has ended.
    activities = DisruptionActivity.objects.filter(subject__person=adult)
    activities.filter(status="in_force").update(status="expired")
    activities.filter(status__in=("planned", "applied")).update(status="withdrawn")
    return adult


def rows_naming(terms):
    """(model, id, field) for every text value in the database holding one of `terms`."""
    patterns = [
        re.compile(rf"(?<!\w){re.escape(t['text'])}(?!\w)", 0 if t["exact_case"] else re.IGNORECASE) for t in terms
    ]
    found = []
    for model in apps.get_models():
        if model._meta.label in NOT_SEARCHED:
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        if not fields:
            continue
        for pk, *values in model._base_manager.values_list("pk", *fields).iterator():
            for name, value in zip(fields, values):
                if value and any(p.search(value) for p in patterns):
                    found.append((model._meta.label, pk, name))
    return found


def figures():
    """What the board counts: none of it may move when a person is anonymised."""
    return {
        "people": Person.objects.count(),
        "cases": Counter(Case.objects.values_list("status", flat=True)),
        "harm types on cases": Case.harm_types.through.objects.count(),
        "referrals": Counter(Referral.objects.values_list("status", flat=True)),
        "screening levels": Counter(Screening.objects.values_list("level", flat=True)),
        "missing episodes": MissingEpisode.objects.count(),
        "review ratings": Review.objects.aggregate(
            Sum("practitioner_rating"), Sum("child_feels_safe"), Sum("child_wellbeing")
        ),
        "incidents": Incident.objects.count(),
        "links": Link.objects.count(),
        "subjects of concern": Subject.objects.filter(of_concern=True).count(),
        "people by year of birth, sex and ethnicity": Counter(
            (p.date_of_birth.year if p.date_of_birth else None, p.sex, p.ethnicity) for p in Person.objects.all()
        ),
        "disruption": DisruptionActivity.objects.values("status").annotate(n=Count("id")).count(),
    }


def test_after_erasure_no_row_anywhere_holds_a_childs_names_or_identifiers(generated):
    only_rules("child")
    child = a_child_to_erase()
    terms = person_terms(child)
    assert len(terms) >= 3 and rows_naming(terms), "the test needs a child whose names are written down"
    before = figures()
    # Activity about the child before it is erased: who saw the record.
    seen_before = AuditEventPerson.objects.filter(person_id=child.pk).count()

    review = propose_due(LATER)
    item = review.items.get(model="people.Person", object_id=child.pk)
    assert item.status == RetentionItem.Status.DUE
    approve(dpo(), review, reason="Past the 25th birthday; checked against the case system")
    run_queued_jobs()

    item.refresh_from_db()
    assert item.status == RetentionItem.Status.DONE and item.scrub_terms == ""
    assert rows_naming(terms) == []
    child.refresh_from_db()
    assert child.full_name == "Anonymised person" and child.reference == item.reference
    assert not (
        child.aliases.exists()
        or child.addresses.exists()
        or child.identifiers.exists()
        or child.phone_numbers.exists()
        or child.involvements.exists()
    )
    assert figures() == before
    # The audit log was not touched and still verifies; it keeps the id, and says the record was erased.
    assert verify().intact
    assert AuditEventPerson.objects.filter(person_id=child.pk).count() > seen_before
    erased = AuditEvent.objects.get(action="delete", person_id=child.pk)
    assert erased.detail["rule"] == "child" and erased.detail["review"] == review.pk
    assert erased.user == dpo()


def test_after_erasure_no_row_anywhere_holds_an_adult_of_concerns_names_or_numbers(generated):
    only_rules("adult_of_concern")
    adult = an_adult_of_concern_to_erase()
    terms = person_terms(adult)
    assert rows_naming(terms)
    links_before = Link.objects.of(adult.subject).count()
    before = figures()

    review = propose_due(LATER)
    approve(dpo(), review, reason="Six years with no new intelligence")
    run_queued_jobs()

    assert review.items.get(object_id=adult.pk).status == RetentionItem.Status.DONE
    assert rows_naming(terms) == []
    # The network keeps its shape: the links stay, between an anonymised adult and the rest.
    assert Link.objects.of(Subject.objects.get(person=adult)).count() == links_before
    assert figures() == before
    assert verify().intact


def test_a_whole_schedule_falls_due_and_every_record_is_erased_or_kept_without_a_failure(generated):
    """Everything the partnership holds, seventy years on: each rule's
    records are erased as the schedule says, none fails part-way, and the
    audit chain still verifies."""
    review = propose_due(LATER)
    decisions = {"intelligence_serious": "keep", "intelligence_other": "delete", "context": "anonymise"}
    approve(dpo(), review, reason="Rehearsal of the whole schedule", decisions=decisions)
    run_queued_jobs()
    statuses = Counter(review.items.values_list("status", flat=True))
    assert statuses[RetentionItem.Status.FAILED] == 0, list(
        review.items.filter(status="failed").values_list("rule__code", "error")
    )
    assert statuses[RetentionItem.Status.DONE] > 500
    assert review.items.filter(rule__code="intelligence_serious", status="retained").exists()
    assert not review.items.exclude(scrub_terms="").exists()
    assert verify().intact
