"""My tasks, one task, marking it done, and the coordinators' view of every
overdue action across agencies."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hoth.audit.models import AuditEvent
from hoth.people.models import Involvement, Person
from hoth.tasks.models import Task
from hoth.tasks.services import create_task
from tests.conftest import make_user


def task_for(owner, title, days_from_today, *, by, person=None):
    return create_task(
        title=title,
        owner=owner,
        due_date=timezone.localdate() + timedelta(days=days_from_today),
        created_by=by,
        person=person,
    )


@pytest.fixture
def child(users):
    person = Person.objects.create(given_names="Tyler", family_name="Okafor")
    Involvement.objects.create(person=person, user=users["practitioner"], kind=Involvement.Kind.LEAD_PROFESSIONAL)
    return person


# ------------------------------------------------------------ my tasks


def test_my_tasks_lists_overdue_due_soon_and_later_with_overdue_tagged(users, verified_client, child):
    me, coordinator = users["practitioner"], users["coordinator"]
    task_for(me, "Chase the school attendance record", -2, by=coordinator, person=child)
    task_for(me, "Arrange a strategy discussion", 3, by=coordinator)
    task_for(me, "Review the safety plan", 30, by=coordinator)
    page = verified_client(me).get("/tasks/").content.decode()
    overdue_at = page.index("Overdue</caption>")
    assert overdue_at < page.index("Chase the school attendance record") < page.index("Due in the next 7 days")
    assert page.index("Due in the next 7 days") < page.index("Arrange a strategy discussion") < page.index("Due later")
    assert "Review the safety plan" in page
    assert 'govuk-tag govuk-tag--red">Overdue</strong>' in page
    assert "Tyler Okafor" in page and child.reference in page


def test_a_practitioner_never_sees_another_persons_tasks(users, verified_client):
    theirs = task_for(
        users["school_practitioner"], "Speak to the designated safeguarding lead", -1, by=users["coordinator"]
    )
    client = verified_client(users["practitioner"])
    assert "designated safeguarding lead" not in client.get("/tasks/").content.decode()
    assert client.get(f"/tasks/{theirs.pk}/").status_code == 404
    assert client.post(f"/tasks/{theirs.pk}/done/", {"note": "done"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Task.Status.OPEN


def test_a_task_shows_the_child_only_to_those_who_may_see_the_child(users, verified_client, child):
    task = task_for(users["manager"], "Sign off the NRM referral", 2, by=users["coordinator"], person=child)
    page = verified_client(users["manager"]).get(f"/tasks/{task.pk}/").content.decode()
    assert "Tyler" not in page and child.reference not in page
    assert "you do not have access to the child" in page
    mine = verified_client(users["manager"]).get("/tasks/").content.decode()
    assert "Tyler" not in mine and "Not shown to you" in mine


def test_marking_a_task_done_keeps_the_note_and_is_audited(users, verified_client, child):
    task = task_for(users["practitioner"], "Offer a return home interview", 1, by=users["coordinator"], person=child)
    client = verified_client(users["practitioner"])
    response = client.post(f"/tasks/{task.pk}/done/", {"note": "Offered by phone; accepted for Thursday"})
    assert response.status_code == 302 and response.url == "/tasks/"
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.completed_note == "Offered by phone; accepted for Thursday"
    assert AuditEvent.objects.filter(action="update", object_type="tasks.Task", object_id=str(task.pk)).count() == 1
    page = client.get("/tasks/").content.decode()
    assert "Done in the last 14 days" in page and "Offer a return home interview" in page


def test_a_task_already_done_is_not_done_again(users, verified_client):
    task = task_for(users["practitioner"], "Visit", 1, by=users["coordinator"])
    client = verified_client(users["practitioner"])
    client.post(f"/tasks/{task.pk}/done/", {"note": "first"})
    client.post(f"/tasks/{task.pk}/done/", {"note": "second"})
    task.refresh_from_db()
    assert task.completed_note == "first"


def test_a_note_too_long_is_refused_and_the_task_stays_open(users, verified_client):
    task = task_for(users["practitioner"], "Visit", 1, by=users["coordinator"])
    response = verified_client(users["practitioner"]).post(f"/tasks/{task.pk}/done/", {"note": "x" * 2001})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_my_tasks_costs_the_same_queries_however_many_tasks(users, verified_client, django_assert_max_num_queries):
    me = users["practitioner"]
    client = verified_client(me)
    for i in range(3):
        person = Person.objects.create(given_names=f"Child{i}", family_name="Test")
        Involvement.objects.create(person=person, user=me, kind=Involvement.Kind.ASSIGNED)
        task_for(me, f"Task {i}", i - 1, by=users["coordinator"], person=person)
    client.get("/tasks/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/tasks/")
    for i in range(30):
        person = Person.objects.create(given_names=f"More{i}", family_name="Test")
        Involvement.objects.create(person=person, user=me, kind=Involvement.Kind.ASSIGNED)
        task_for(me, f"More {i}", i - 10, by=users["coordinator"], person=person)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/tasks/")
    assert len(few.captured_queries) <= 20


# ------------------------------------------------------------ overdue everywhere


@pytest.fixture
def overdue_around_the_partnership(users, agencies):
    police = make_user("pc@police.example", agencies["police"], "practitioner", full_name="PC Evans")
    by = users["coordinator"]
    return {
        "council": task_for(users["practitioner"], "Council action overdue", -3, by=by),
        "school": task_for(users["school_practitioner"], "School action overdue", -1, by=by),
        "police": task_for(police, "Police action overdue", -10, by=by),
        "not yet due": task_for(police, "Police action not yet due", 5, by=by),
        "police officer": police,
    }


def test_a_coordinator_sees_every_overdue_action_across_agencies(
    users, verified_client, overdue_around_the_partnership
):
    page = verified_client(users["coordinator"]).get("/tasks/overdue/").content.decode()
    for title in ("Council action overdue", "School action overdue", "Police action overdue"):
        assert title in page
    assert "not yet due" not in page
    assert "3 overdue actions" in page and "Overdue 10 days" in page
    assert page.index("Police action overdue") < page.index("Council action overdue")


def test_overdue_actions_filter_by_agency_and_owner(users, agencies, verified_client, overdue_around_the_partnership):
    client = verified_client(users["coordinator"])
    by_agency = client.get("/tasks/overdue/", {"agency": agencies["school"].pk}).content.decode()
    assert "School action overdue" in by_agency and "Council action overdue" not in by_agency
    police = overdue_around_the_partnership["police officer"]
    by_owner = client.get("/tasks/overdue/", {"owner": police.pk}).content.decode()
    assert "Police action overdue" in by_owner and "School action overdue" not in by_owner


def test_an_unknown_filter_gets_a_message_not_a_crash(users, verified_client, overdue_around_the_partnership):
    response = verified_client(users["coordinator"]).get("/tasks/overdue/", {"agency": "999999"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


@pytest.mark.parametrize("role", ["practitioner", "school_practitioner", "manager", "panel_chair", "analyst"])
def test_only_coordinators_see_overdue_actions_everywhere(role, users, verified_client):
    assert verified_client(users[role]).get("/tasks/overdue/").status_code == 403


def test_overdue_everywhere_costs_the_same_queries_however_many(
    users, verified_client, agencies, django_assert_max_num_queries
):
    client = verified_client(users["coordinator"])
    task_for(
        users["practitioner"],
        "One",
        -1,
        by=users["coordinator"],
        person=Person.objects.create(given_names="First", family_name="Test"),
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/tasks/overdue/")
    for i in range(40):
        owner = make_user(f"owner{i}@police.example", agencies["police"], "practitioner")
        person = Person.objects.create(given_names=f"C{i}", family_name="Test")
        task_for(owner, f"Overdue {i}", -i - 1, by=users["coordinator"], person=person)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/tasks/overdue/")


def test_viewing_a_task_is_audited_against_the_child_only_when_the_child_is_shown(users, verified_client, child):
    hidden = task_for(users["manager"], "Sign off", 2, by=users["coordinator"], person=child)
    shown = task_for(users["practitioner"], "Visit", 2, by=users["coordinator"], person=child)
    verified_client(users["manager"]).get(f"/tasks/{hidden.pk}/")
    verified_client(users["practitioner"]).get(f"/tasks/{shown.pk}/")
    views = {e.object_id: e.person_id for e in AuditEvent.objects.filter(action="view", object_type="tasks.Task")}
    assert views == {str(hidden.pk): None, str(shown.pk): child.pk}
