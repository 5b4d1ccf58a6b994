"""The repeated-missing flag as a query (for the screening queue), the case
page and a coordinator opening a case directly."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hoth.analytics.missing import repeated_episodes
from hoth.audit.models import AuditEvent
from hoth.cases.flags import annotate_missing, repeatedly_missing
from hoth.cases.models import Case, MissingEpisode
from hoth.cases.services import open_case
from hoth.notifications.models import Notification
from hoth.panels.models import AgendaItem, Decision, Meeting
from hoth.people.models import Involvement, Person
from hoth.referrals.models import HarmType, Referral
from hoth.tasks.services import create_task

NOW = timezone.make_aware(timezone.datetime(2026, 3, 10, 12, 0))


def episodes(person, user, *days_ago):
    for days in days_ago:
        MissingEpisode.objects.create(person=person, recorded_by=user, started_at=NOW - timedelta(days=days))


@pytest.fixture
def children(users):
    names = ["Twice this month", "Three this quarter", "Once", "Long ago"]
    people = {n: Person.objects.create(given_names=n, family_name="Test") for n in names}
    user = users["coordinator"]
    episodes(people["Twice this month"], user, 1, 25)
    episodes(people["Three this quarter"], user, 10, 45, 80)
    episodes(people["Once"], user, 5)
    episodes(people["Long ago"], user, 100, 120, 150)
    return people


# ------------------------------------------------------------ the flag as a query


def test_the_query_flags_the_same_children_as_the_pure_rule(children):
    flagged = set(Person.objects.filter(repeatedly_missing(now=NOW)).values_list("given_names", flat=True))
    assert flagged == {"Twice this month", "Three this quarter"}
    for person in children.values():
        starts = person.missing_episodes.values_list("started_at", flat=True)
        assert (person.given_names in flagged) == (repeated_episodes(list(starts), NOW) is not None)


def test_people_are_annotated_with_recent_episodes_and_the_flag(children):
    rows = {
        p.given_names: (p.recent_missing_episodes, p.repeatedly_missing)
        for p in annotate_missing(Person.objects.all(), now=NOW)
    }
    assert rows == {
        "Twice this month": (2, True),
        "Three this quarter": (3, True),
        "Once": (1, False),
        "Long ago": (0, False),
    }


def test_referrals_are_flagged_through_their_child_in_one_query(children, users, django_assert_num_queries):
    for person in children.values():
        Referral.objects.create(
            person=person,
            status=Referral.Status.SUBMITTED,
            referrer=users["practitioner"],
            referrer_agency=users["practitioner"].agency,
        )
    with django_assert_num_queries(1):
        rows = {
            r.person.given_names: r.repeatedly_missing
            for r in annotate_missing(Referral.objects.select_related("person"), person_field="person", now=NOW)
        }
    assert rows == {"Twice this month": True, "Three this quarter": True, "Once": False, "Long ago": False}
    flagged = Referral.objects.filter(repeatedly_missing(person_field="person", now=NOW))
    assert flagged.count() == 2


# ------------------------------------------------------------ the case page


@pytest.fixture
def case(users):
    child = Person.objects.create(given_names="Leah", family_name="Owens", date_of_birth=date(2010, 1, 1))
    harm = HarmType.objects.create(code="cce-test", name="Child criminal exploitation", short_name="CCE")
    return open_case(
        person=child, lead_professional=users["practitioner"], opened_by=users["coordinator"], harm_types=[harm]
    )


def test_the_case_page_shows_the_child_lead_harm_types_and_how_it_was_opened(users, verified_client, case):
    meeting = Meeting.objects.create(
        starts_at=timezone.now() - timedelta(days=1), chair=users["coordinator"], created_by=users["coordinator"]
    )
    AgendaItem.objects.create(meeting=meeting, person=case.person, decision=Decision.OPEN_CASE, case=case)
    create_task(
        title="Visit at school",
        owner=users["practitioner"],
        due_date=timezone.localdate() - timedelta(days=1),
        created_by=users["coordinator"],
        person=case.person,
        case=case,
    )
    page = verified_client(users["practitioner"]).get(f"/cases/{case.reference}/").content.decode()
    for text in [
        case.reference,
        "Leah Owens",
        "Prac",
        "Child criminal exploitation",
        "Coord",
        "Open a harm-outside-the-home case",
        "Visit at school",
        "Overdue",
    ]:
        assert text in page, text
    assert AuditEvent.objects.filter(action="view", object_type="cases.Case", person_id=case.person_id).count() == 1


def test_the_lead_sees_only_their_own_tasks_on_the_case_page(users, verified_client, case):
    create_task(
        title="Talk to the school nurse",
        owner=users["coordinator"],
        due_date=timezone.localdate(),
        created_by=users["coordinator"],
        person=case.person,
        case=case,
    )
    lead_page = verified_client(users["practitioner"]).get(f"/cases/{case.reference}/").content.decode()
    assert "Talk to the school nurse" not in lead_page


def test_someone_who_does_not_work_with_the_child_cannot_see_the_case(users, verified_client, case):
    # A case out of scope answers as one that does not exist: its reference is not confirmed.
    assert verified_client(users["school_practitioner"]).get(f"/cases/{case.reference}/").status_code == 404
    # A manager's role never reaches casework at all.
    assert verified_client(users["manager"]).get(f"/cases/{case.reference}/").status_code == 403


def test_a_coordinator_opens_a_case_directly_and_the_lead_is_told(users, verified_client):
    child = Person.objects.create(given_names="Kai", family_name="Byrne")
    harm = HarmType.objects.create(code="cse-test", name="Child sexual exploitation", short_name="CSE")
    client = verified_client(users["coordinator"])
    form = client.get(f"/cases/child/{child.reference}/open/").content.decode()
    assert "Prac (Cheshire East Council Children" in form
    response = client.post(
        f"/cases/child/{child.reference}/open/",
        {"lead_professional": str(users["practitioner"].pk), "harm_types": [str(harm.pk)]},
    )
    case = Case.objects.get(person=child)
    assert response.status_code == 302 and response.url == f"/cases/{case.reference}/"
    assert list(case.harm_types.all()) == [harm] and case.lead_professional == users["practitioner"]
    assert Involvement.objects.filter(person=child, user=users["practitioner"], kind="lead").exists()
    note = Notification.objects.get(user=users["practitioner"])
    assert note.url == f"/cases/{case.reference}/" and "Kai" not in note.subject + note.body


def test_a_case_needs_a_lead_professional(users, verified_client):
    child = Person.objects.create(given_names="Kai", family_name="Byrne")
    response = verified_client(users["coordinator"]).post(f"/cases/child/{child.reference}/open/", {})
    assert "Choose the lead professional" in response.content.decode()
    assert not Case.objects.exists()


def test_a_child_with_an_open_case_cannot_have_a_second(users, verified_client, case):
    client = verified_client(users["coordinator"])
    page = client.get(f"/cases/child/{case.person.reference}/open/").content.decode()
    assert "already has an open case" in page
    client.post(f"/cases/child/{case.person.reference}/open/", {"lead_professional": str(users["coordinator"].pk)})
    assert Case.objects.count() == 1


def test_only_coordinators_open_cases(users, verified_client, case):
    child = Person.objects.create(given_names="Kai", family_name="Byrne")
    Involvement.objects.create(person=child, user=users["practitioner"], kind=Involvement.Kind.ASSIGNED)
    assert verified_client(users["practitioner"]).get(f"/cases/child/{child.reference}/open/").status_code == 403


def test_the_childs_record_links_to_the_open_case(users, verified_client, case):
    page = verified_client(users["practitioner"]).get(f"/people/{case.person.reference}/").content.decode()
    assert f"/cases/{case.reference}/" in page
    coordinator_page = verified_client(users["coordinator"]).get(f"/people/{case.person.reference}/").content.decode()
    assert "Open a case" not in coordinator_page


def test_the_case_page_costs_the_same_queries_however_much_is_recorded(
    users, verified_client, case, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(users["coordinator"])
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.reference}/")
    now = timezone.now()
    for i in range(15):
        create_task(
            title=f"Action {i}",
            owner=users["practitioner"],
            due_date=timezone.localdate(),
            created_by=users["coordinator"],
            person=case.person,
            case=case,
        )
        MissingEpisode.objects.create(
            person=case.person,
            recorded_by=users["coordinator"],
            started_at=now - timedelta(days=i + 2),
            ended_at=now - timedelta(days=i + 1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Action 14" in page and "Repeatedly missing" in page
