"""Finding a person: only among the people you may see, by any name they are
known by, and every search recorded once."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoth.audit.models import AuditEvent
from hoth.people.models import Address, Alias, Identifier, PhoneNumber
from hoth.people.search import search_people


def _names(matches):
    return [m.person.full_name for m in matches]


def test_practitioner_finds_only_the_children_they_work_with(users, make_person):
    mine = make_person("Amy", "Shaw", involved=[users["practitioner"]])
    make_person("Amy", "Shaw", date(2011, 5, 6))
    matches = search_people(users["practitioner"], name="Amy Shaw")
    assert [m.person for m in matches] == [mine]


def test_coordinator_finds_everyone_in_the_partnership(users, make_person):
    make_person("Amy", "Shaw", involved=[users["practitioner"]])
    make_person("Amy", "Shaw", date(2011, 5, 6))
    assert len(search_people(users["coordinator"], name="Amy Shaw")) == 2


def test_analyst_finds_only_intelligence_subjects(users, make_person):
    subject = make_person("Dean", "Marsh", date(1998, 1, 2), intelligence_subject=True)
    make_person("Dean", "Marsh", date(2010, 1, 2))
    assert [m.person for m in search_people(users["analyst"], name="Dean Marsh")] == [subject]


@pytest.mark.parametrize("role", ["manager", "auditor", "agency_admin", "system_admin"])
def test_roles_without_casework_cannot_search_people(users, verified_client, role):
    response = verified_client(users[role]).get("/people/", {"name": "Amy"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="search").exists()


def test_a_nickname_finds_the_full_name_with_the_reason(users, make_person, name_variants):
    make_person("Jonathan", "Smith")
    [match] = search_people(users["coordinator"], name="Jonny Smith")
    assert "'Jonny' is a known form of 'Jonathan'" in match.reasons


def test_an_alias_finds_the_person(users, make_person):
    person = make_person("Tyler", "Brookes")
    Alias.objects.create(person=person, name="Ghost", kind=Alias.Kind.STREET)
    [match] = search_people(users["coordinator"], name="Ghost")
    assert match.person == person


def test_swapped_names_are_found(users, make_person):
    person = make_person("Amir", "Khan")
    assert search_people(users["coordinator"], name="Khan Amir")[0].person == person


def test_date_of_birth_postcode_identifier_and_phone_each_find_a_person(users, make_person):
    person = make_person("Leah", "Owens", date(2009, 7, 8))
    make_person("Other", "Child", date(2001, 1, 1))
    Address.objects.create(person=person, line1="1 Mill St", town="Crewe", postcode="CW1 2AB")
    Identifier.objects.create(person=person, scheme=Identifier.Scheme.NHS, value="9434765919")
    PhoneNumber.objects.create(person=person, e164="+447700900982")
    coordinator = users["coordinator"]
    assert _names(search_people(coordinator, date_of_birth=date(2009, 7, 8))) == ["Leah Owens"]
    assert _names(search_people(coordinator, postcode="cw12ab")) == ["Leah Owens"]
    assert _names(search_people(coordinator, identifier="943 476 5919")) == ["Leah Owens"]
    assert _names(search_people(coordinator, phone="07700 900982")) == ["Leah Owens"]


def test_search_page_shows_reasons_and_audits_the_query_and_the_people_shown_once(users, verified_client, make_person):
    person = make_person("Amy", "Shaw", involved=[users["practitioner"]])
    response = verified_client(users["practitioner"]).get("/people/", {"name": "Amy Shaw"})
    assert response.status_code == 200
    assert b"Amy Shaw" in response.content
    assert b"Same family name (Shaw)" in response.content
    [event] = AuditEvent.objects.filter(action="search")
    assert event.detail["query"] == {"name": "Amy Shaw"}
    assert event.detail["ids"] == [person.pk]
    assert event.detail["person_ids"] == [person.pk]


def test_an_empty_search_asks_for_something_to_search_for(users, verified_client):
    response = verified_client(users["practitioner"]).get("/people/", {"name": ""})
    assert b"Enter a name, date of birth, postcode, reference or phone number to search for" in response.content
    assert not AuditEvent.objects.filter(action="search").exists()


def test_search_results_page_costs_the_same_queries_for_few_or_many_results(users, verified_client, make_person):
    client = verified_client(users["practitioner"])
    client.get("/")

    def queries_for_search():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/people/", {"name": "Amy Shaw"}).status_code == 200
        return len(context.captured_queries)

    person = make_person("Amy", "Shaw", involved=[users["practitioner"]])
    Alias.objects.create(person=person, name="Aims")
    queries_for_search()  # the name variant groups are read once, then cached
    few = queries_for_search()
    for n in range(20):
        other = make_person("Amy", "Shaw", date(2010, 1, n + 1), involved=[users["practitioner"]])
        Alias.objects.create(person=other, name=f"Amy {n}")
        Address.objects.create(person=other, line1="1 High St", town="Crewe", postcode="CW1 2AB")
    many = queries_for_search()
    assert many == few
    assert many <= 20
