"""A child the council practitioner works with, the harm types, and a way to
fill in a draft referral completely (or nearly)."""

from datetime import date

import pytest

from hoth.people.models import Involvement, Person
from hoth.referrals import reference, services
from hoth.referrals.models import HarmType, Referral


@pytest.fixture
def harm_types(db):
    reference.load()
    return {h.code: h for h in HarmType.objects.all()}


@pytest.fixture
def child(users):
    """Tyler, whom the council practitioner and the school practitioner both work with."""
    person = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2010, 3, 27))
    for key in ("practitioner", "school_practitioner"):
        Involvement.objects.create(person=person, user=users[key], kind=Involvement.Kind.ASSIGNED)
    return person


@pytest.fixture
def complete_draft(harm_types, child):
    """complete_draft(user, **answers): a draft with every answer given, ready to send."""

    def make(user, *, person=None, harm=("cce",), **answers):
        referral = services.start_referral(user, subject=Referral.Subject.CHILD)
        services.choose_person(user, referral, person or child)
        services.set_harm_types(user, referral, [harm_types[c] for c in harm], answers.pop("harm_other", ""))
        values = {
            "what_happened": "Seen getting into a car with two older males outside school at 3pm.",
            "child_words": "They're my mates, they give me lifts.",
            "immediate_danger": False,
            "referrer_role": "Designated safeguarding lead",
            "referrer_phone": "+447700900982",
            "consent": Referral.Consent.GIVEN,
        }
        values.update(answers)
        services.save_answers(user, referral, **values)
        return Referral.objects.get(pk=referral.pk)

    return make
