"""Recording a person: search first, show who might already be known (masking
records the user may not see), confirm, then validate every field."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client

from hoth.accounts.models import Agency, AgencyType
from hoth.audit.models import AuditEvent
from hoth.notifications.models import Notification
from hoth.people.models import Identifier, Involvement, Person, PhoneNumber
from tests.conftest import verified_client_for

FIND = {
    "given_names": "Jon",
    "family_name": "Smith",
    "date_of_birth_0": "4",
    "date_of_birth_1": "3",
    "date_of_birth_2": "2010",
    "dob_precision": "exact",
    "postcode": "cw1 2ab",
}

DETAILS = {
    "given_names": "Jon",
    "family_name": "Smith",
    "preferred_name": "Jonny",
    "date_of_birth_0": "4",
    "date_of_birth_1": "3",
    "date_of_birth_2": "2010",
    "dob_precision": "exact",
    "sex": "M",
    "ethnicity": "W1",
    "first_language": "English",
    "send_status": "",
    "care_status": "cin",
    "school": "",
    "address_line1": "12 Mill Street",
    "address_town": "Crewe",
    "address_postcode": "cw1 2ab",
    "nhs_number": "943 476 5919",
    "upn": "l201401100001",
    "police_reference": "",
    "la_reference": "la-123",
    "phone_numbers": "07700 900982\n01632 960001",
    "online_handles": "Snapchat: jonny_s",
    "aliases": "Little J",
    "sensitive_notes": "Seen with older males at the station",
}


@pytest.fixture
def practitioner_client(users, verified_client):
    return verified_client(users["practitioner"])


def _find_then_confirm(client):
    client.post("/people/new/", FIND)
    return client.post("/people/new/confirm/", {"confirm_new": "on"})


def test_search_before_create_shows_matches_the_user_can_see_with_reasons(
    users, practitioner_client, make_person, name_variants
):
    make_person("Jonathan", "Smith", date(2010, 3, 4), involved=[users["practitioner"]])
    response = practitioner_client.post("/people/new/", FIND)
    assert response.status_code == 200
    assert b"Is this the same person?" in response.content
    assert b"Jonathan Smith" in response.content
    assert b"&#x27;Jon&#x27; is a known form of &#x27;Jonathan&#x27;" in response.content
    assert b"Same date of birth" in response.content


def test_a_likely_match_the_user_cannot_see_is_mentioned_but_never_named_nor_referenced(
    users, practitioner_client, make_person, name_variants
):
    hidden = make_person("Jonathan", "Smyth", date(2010, 3, 4))
    response = practitioner_client.post("/people/new/", FIND)
    content = response.content.decode()
    assert "Another agency may already have a record of this person that you cannot see" in content
    assert "Jonathan" not in content and "Smyth" not in content
    # Not even its reference, in the text or in a link.
    assert hidden.reference not in content
    assert "Ask for access to possible match 1" in content
    # Nothing the user was not allowed to see is indexed as seen by them.
    event = AuditEvent.objects.get(action="search")
    assert event.detail["ids"] == [] and event.detail["hidden_matches"] == 1
    assert event.detail["hidden_checked"] is True
    assert hidden.pk not in event.detail.get("person_ids", [])


def test_records_the_user_cannot_see_are_not_checked_on_a_name_alone(
    users, practitioner_client, make_person, name_variants
):
    """A name confirms nobody: without a date of birth there is no look outside the user's records."""
    make_person("Jon", "Smith", date(2010, 3, 4))
    response = practitioner_client.post(
        "/people/new/", {**FIND, "date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": "", "postcode": ""}
    )
    content = response.content.decode()
    assert "Records held by other agencies were not checked, because you did not give a date of birth" in content
    assert "possible match" not in content
    assert AuditEvent.objects.get(action="search").detail["hidden_checked"] is False


def test_a_record_the_user_cannot_see_counts_only_if_its_date_of_birth_agrees(
    users, practitioner_client, make_person, name_variants
):
    make_person("Jon", "Smith", date(2011, 7, 20))
    response = practitioner_client.post("/people/new/", FIND)
    assert b"cannot see" not in response.content
    # Nothing found anywhere: straight on to the details.
    assert response.status_code == 302 and response.url == "/people/new/details/"


def test_asking_for_access_to_a_possible_match_works_once_and_only_in_the_session_that_was_shown_it(
    users, practitioner_client, make_person, name_variants
):
    hidden = make_person("Jonathan", "Smyth", date(2010, 3, 4), involved=[users["coordinator"]])
    response = practitioner_client.post("/people/new/", FIND)
    link = re.search(r'href="(/people/new/possible-match/[^"]+/)"', response.content.decode()).group(1)
    form = practitioner_client.get(link)
    assert form.status_code == 403 and hidden.reference not in form.content.decode()
    # Another session of another user cannot use the link.
    assert verified_client_for(Client(), users["school_practitioner"]).get(link).status_code == 404
    granted = practitioner_client.post(link, {"reason": "Missing overnight; police need her school now"})
    assert granted.status_code == 302 and granted.url == f"/people/{hidden.reference}/"
    assert AuditEvent.objects.filter(action="break_glass", person_id=hidden.pk).count() == 1
    # The token is spent.
    assert practitioner_client.post(link, {"reason": "Again"}).status_code == 404


def test_checks_of_records_the_user_cannot_see_are_paused_after_the_hourly_limit(
    users, practitioner_client, make_person, name_variants, settings
):
    settings.HOTH_HIDDEN_MATCH_CHECKS_PER_HOUR = 2
    make_person("Jonathan", "Smyth", date(2010, 3, 4))
    for _ in range(2):
        practitioner_client.post("/people/new/", FIND)
    response = practitioner_client.post("/people/new/", FIND)
    content = response.content.decode()
    assert "checks of records held by other agencies are paused until" in content
    assert "possible match" not in content
    assert AuditEvent.objects.filter(action="search").last().detail["hidden_checked"] is False
    # Nobody records a person without the check while it is paused.
    assert practitioner_client.post("/people/new/confirm/", {"confirm_new": "on"}).url == "/people/new/"
    assert practitioner_client.get("/people/new/details/").url == "/people/new/"


def test_coordinators_are_told_once_when_someone_keeps_finding_records_they_cannot_see(
    users, practitioner_client, make_person, name_variants, settings
):
    settings.HOTH_HIDDEN_MATCH_ALERT_AFTER = 3
    make_person("Jonathan", "Smyth", date(2010, 3, 4))
    for _ in range(4):
        practitioner_client.post("/people/new/", FIND)
    told = Notification.objects.filter(subject="Someone keeps finding records they cannot see")
    assert [n.user for n in told] == [users["coordinator"]]
    assert "Prac" in told.get().body and "Jonathan" not in told.get().body


def test_a_new_person_cannot_be_recorded_without_confirming_none_of_the_matches_is_them(
    users, practitioner_client, make_person
):
    make_person("Jon", "Smith", date(2010, 3, 4), involved=[users["practitioner"]])
    practitioner_client.post("/people/new/", FIND)
    response = practitioner_client.post("/people/new/confirm/", {})
    assert b"Confirm that none of the possible matches is the person you are recording" in response.content
    # Skipping ahead to the details page sends them back to search first.
    assert practitioner_client.get("/people/new/details/").url == "/people/new/"
    practitioner_client.post("/people/new/details/", DETAILS)
    assert Person.objects.count() == 1


def test_recording_a_new_person_stores_everything_and_lets_the_creator_see_them(users, practitioner_client, agencies):
    response = _find_then_confirm(practitioner_client)
    assert response.url == "/people/new/details/"
    response = practitioner_client.post("/people/new/details/", DETAILS)
    person = Person.objects.get()
    assert response.url == f"/people/{person.reference}/"
    assert (person.full_name, person.preferred_name, person.date_of_birth) == ("Jon Smith", "Jonny", date(2010, 3, 4))
    assert Involvement.objects.filter(person=person, user=users["practitioner"], kind="raised").exists()
    assert sorted(person.identifiers.values_list("scheme", "value")) == [
        ("la", "LA-123"),
        ("nhs", "9434765919"),
        ("upn", "L201401100001"),
    ]
    assert sorted(PhoneNumber.objects.values_list("e164", flat=True)) == ["+441632960001", "+447700900982"]
    assert person.addresses.get().postcode == "CW1 2AB"
    assert list(person.aliases.values_list("name", flat=True)) == ["Little J"]
    assert person.online_handles.get().handle == "jonny_s"
    assert AuditEvent.objects.filter(action="create", person_id=person.pk).count() == 1
    assert practitioner_client.get(response.url).status_code == 200


def test_sensitive_notes_are_encrypted_at_rest(practitioner_client):
    _find_then_confirm(practitioner_client)
    practitioner_client.post("/people/new/details/", DETAILS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sensitive_notes FROM people_person")
        [(stored,)] = cursor.fetchall()
    assert stored.startswith("fernet:") and "station" not in stored
    assert Person.objects.get().sensitive_notes == "Seen with older males at the station"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"nhs_number": "943 476 5918"}, "The NHS number is not valid: check each digit has been typed correctly"),
        ({"nhs_number": "12345"}, "An NHS number must be 10 digits"),
        (
            {"upn": "M201401100001"},
            "The unique pupil number is not valid: check each character has been typed correctly",
        ),
        ({"upn": "L2014"}, "A unique pupil number must be 13 characters"),
        ({"phone_numbers": "call me maybe"}, "is not a phone number"),
        ({"address_postcode": "CW1"}, "Enter a real postcode, like CW1 2AB"),
        ({"address_town": ""}, "Enter the town or city"),
        ({"given_names": ""}, "Enter their first name"),
        ({"online_handles": "jonny_s"}, "as platform: handle"),
        ({"date_of_birth_2": str(date.today().year + 1)}, "Date of birth must be today or in the past"),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "Date of birth must be a real date"),
    ],
)
def test_each_invalid_field_gets_a_specific_error_and_nothing_is_saved(practitioner_client, changes, message):
    _find_then_confirm(practitioner_client)
    response = practitioner_client.post("/people/new/details/", {**DETAILS, **changes})
    assert response.status_code == 200
    content = response.content.decode().replace("&#x27;", "'")
    assert "There is a problem" in content
    assert message.lower() in content.lower()
    assert Person.objects.count() == 0
    assert Identifier.objects.count() == 0
    assert not AuditEvent.objects.filter(action="create").exists()


def test_a_date_of_birth_in_the_future_is_refused_before_searching(practitioner_client):
    future = date.today() + timedelta(days=30)
    response = practitioner_client.post(
        "/people/new/",
        {**FIND, "date_of_birth_0": future.day, "date_of_birth_1": future.month, "date_of_birth_2": future.year},
    )
    assert b"must be today or in the past" in response.content
    assert not AuditEvent.objects.filter(action="search").exists()


def test_the_school_choices_are_education_agencies_only(practitioner_client, agencies):
    _find_then_confirm(practitioner_client)
    content = practitioner_client.get("/people/new/details/").content.decode()
    assert "Crewe High School" in content
    assert "Cheshire Constabulary" not in content
    police = Agency.objects.get(type=AgencyType.POLICE)
    response = practitioner_client.post("/people/new/details/", {**DETAILS, "school": police.pk})
    assert response.status_code == 200 and Person.objects.count() == 0


@pytest.mark.parametrize("role", ["analyst", "panel_chair", "manager", "auditor", "system_admin"])
def test_only_practitioners_and_coordinators_record_new_people(users, verified_client, role):
    assert verified_client(users[role]).get("/people/new/").status_code == 403


def test_a_partial_date_of_birth_finds_people_born_that_month(users, practitioner_client, make_person):
    make_person("Jon", "Smith", date(2010, 3, 17), involved=[users["practitioner"]])
    make_person("Jon", "Smith", date(2012, 8, 1), involved=[users["practitioner"]])
    response = practitioner_client.post("/people/new/", {**FIND, "date_of_birth_0": "1", "dob_precision": "month"})
    content = response.content.decode()
    assert "born March 2010" in content
    assert "17 March 2010" in content and "1 August 2012" not in content
    assert "Born in the same month (March 2010); the exact date is not known" in content
