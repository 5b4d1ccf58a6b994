"""Recording a missing episode, the child's return and the return home
interview: what practitioners see and what bad input gets."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hoth.audit.models import AuditEvent
from hoth.cases import services
from hoth.cases.models import MissingEpisode, ReturnInterview
from hoth.tasks.models import Task

LONDON = timezone.get_default_timezone()


def at(*args):
    return datetime(*args, tzinfo=LONDON)


def moment(prefix, when):
    """POST fields for a date input and a time field."""
    local = timezone.localtime(when)
    return {
        f"{prefix}_date_0": str(local.day),
        f"{prefix}_date_1": str(local.month),
        f"{prefix}_date_2": str(local.year),
        f"{prefix}_time": local.strftime("%H:%M"),
    }


def episode_post(started, ended=None, **extra):
    data = {
        "kind": "M",
        **moment("started_at", started),
        "reported_by": "Foster carer",
        "police_reference": "CC-2026-0142",
        "who_with": "Older boy called Dee",
        "notes": "",
    }
    if ended:
        data.update(moment("ended_at", ended))
        data.update(
            {
                "where_found": "Bus station, Stoke-on-Trent",
                "found_postcode": "st1 5ab",
                "found_out_of_area": "on",
                "condition_on_return": "intoxicated",
            }
        )
    data.update(extra)
    return data


def record(user, child, **values):
    values.setdefault("started_at", timezone.now() - timedelta(days=2))
    return services.record_missing_episode(person=child, recorded_by=user, **values)


# ------------------------------------------------------------ recording an episode


def test_practitioner_records_an_episode_with_its_return(users, verified_client, child):
    client = verified_client(users["practitioner"])
    started, ended = timezone.now() - timedelta(days=2), timezone.now() - timedelta(days=1)
    response = client.post(f"/cases/child/{child.reference}/missing/new/", episode_post(started, ended))
    episode = MissingEpisode.objects.get(person=child)
    assert response.status_code == 302 and response.url == f"/cases/missing/{episode.pk}/"
    assert episode.kind == "M" and episode.found_out_of_area and episode.found_postcode == "ST1 5AB"
    assert episode.started_at.replace(second=0, microsecond=0) == started.replace(second=0, microsecond=0)
    assert episode.who_with == "Older boy called Dee"
    assert episode.recorded_by == users["practitioner"]
    created = AuditEvent.objects.filter(action="create", object_type="cases.MissingEpisode", person_id=child.pk)
    assert created.count() == 1
    page = client.get(response.url).content.decode()
    for text in [
        "Bus station, Stoke-on-Trent",
        "Found out of area",
        "Older boy called Dee",
        "Under the influence of drink or drugs",
        "Interview due",
    ]:
        assert text in page


def test_who_the_child_was_with_is_stored_encrypted(users, child):
    episode = record(users["practitioner"], child, who_with="Older boy called Dee")
    with connection.cursor() as cursor:
        cursor.execute("SELECT who_with FROM cases_missingepisode WHERE id = %s", [episode.pk])
        stored = cursor.fetchone()[0]
    assert "Dee" not in stored


def test_a_child_still_missing_has_no_interview_clock(users, verified_client, child):
    client = verified_client(users["practitioner"])
    client.post(f"/cases/child/{child.reference}/missing/new/", episode_post(timezone.now() - timedelta(hours=5)))
    episode = MissingEpisode.objects.get(person=child)
    assert episode.ended_at is None
    assert "Still missing" in client.get(f"/cases/missing/{episode.pk}/").content.decode()
    assert not Task.objects.exists()


def test_a_start_date_in_the_future_is_refused_with_a_specific_message(users, verified_client, child):
    next_year = timezone.localdate().year + 1
    data = episode_post(timezone.now() - timedelta(days=1))
    data["started_at_date_2"] = str(next_year)
    response = verified_client(users["practitioner"]).post(f"/cases/child/{child.reference}/missing/new/", data)
    assert response.status_code == 200
    assert "The date they went missing must be today or in the past" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not MissingEpisode.objects.exists()


def test_a_start_later_today_is_refused_by_the_service_with_a_specific_message(users, child):
    now = at(2026, 3, 10, 9, 0)
    with pytest.raises(ValidationError) as refused:
        record(users["practitioner"], child, started_at=at(2026, 3, 10, 9, 30), now=now)
    assert refused.value.message_dict == {"started_at": ["The date and time they went missing must be in the past"]}
    assert not MissingEpisode.objects.exists()


def test_an_end_before_the_start_is_refused_with_a_specific_message(users, verified_client, child):
    started = timezone.now() - timedelta(days=1)
    response = verified_client(users["practitioner"]).post(
        f"/cases/child/{child.reference}/missing/new/", episode_post(started, started - timedelta(hours=3))
    )
    assert response.status_code == 200
    assert (
        "The date and time they came back must be after the date and time they went missing"
        in response.content.decode()
    )
    assert not MissingEpisode.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_an_end_in_the_future_is_refused_by_the_service(users, child):
    now = at(2026, 3, 10, 9, 0)
    with pytest.raises(ValidationError) as refused:
        record(users["practitioner"], child, started_at=at(2026, 3, 9, 9, 0), ended_at=at(2026, 3, 10, 10, 0), now=now)
    assert refused.value.message_dict == {"ended_at": ["The date and time they came back must be in the past"]}


def test_a_date_without_a_time_asks_for_the_time(users, verified_client, child):
    data = episode_post(timezone.now() - timedelta(days=1))
    data["started_at_time"] = ""
    response = verified_client(users["practitioner"]).post(f"/cases/child/{child.reference}/missing/new/", data)
    assert "Enter the time they went missing" in response.content.decode()
    data["started_at_time"] = "25:99"
    response = verified_client(users["practitioner"]).post(f"/cases/child/{child.reference}/missing/new/", data)
    assert "Enter the time they went missing as a real time, like 14:30 or 2:30pm" in response.content.decode()
    assert not MissingEpisode.objects.exists()


def test_only_those_who_work_with_the_child_may_record_an_episode(users, verified_client, child):
    for role in ("school_practitioner", "analyst", "manager"):
        response = verified_client(users[role]).get(f"/cases/child/{child.reference}/missing/new/")
        assert response.status_code == 403, role


# ------------------------------------------------------------ the return, later


def test_the_return_is_recorded_later_on_an_open_episode_and_the_lead_is_tasked(
    users, verified_client, child, lead, mailoutbox
):
    episode = record(users["practitioner"], child, started_at=timezone.now() - timedelta(days=2))
    assert not Task.objects.exists()
    client = verified_client(users["practitioner"])
    returned = timezone.now() - timedelta(hours=3)
    response = client.post(
        f"/cases/missing/{episode.pk}/return/",
        {**moment("ended_at", returned), "where_found": "Friend's flat", "condition_on_return": "unharmed"},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.ended_at is not None and episode.where_found == "Friend's flat"
    task = Task.objects.get()
    assert task.owner == lead and task.person == child
    assert task.title == "Make sure a return home interview is offered"
    assert "Tyler" not in task.title + task.details and "Okafor" not in task.title + task.details
    assert task.due_date == timezone.localdate(episode.ended_at + timedelta(hours=72))
    assert len(mailoutbox) == 1 and "Tyler" not in mailoutbox[0].body
    # A second return cannot be recorded over the first.
    again = client.post(f"/cases/missing/{episode.pk}/return/", moment("ended_at", returned))
    assert again.status_code == 302 and Task.objects.count() == 1


def test_a_return_before_the_start_is_refused_and_nothing_changes(users, verified_client, child):
    started = timezone.now() - timedelta(days=2)
    episode = record(users["practitioner"], child, started_at=started)
    response = verified_client(users["practitioner"]).post(
        f"/cases/missing/{episode.pk}/return/", moment("ended_at", started - timedelta(days=1))
    )
    assert (
        "The date and time they came back must be after the date and time they went missing"
        in response.content.decode()
    )
    episode.refresh_from_db()
    assert episode.ended_at is None


# ------------------------------------------------------------ the return home interview


def test_the_interview_records_what_it_found_as_indicators_of_the_current_tool(users, verified_client, child, tool):
    returned = timezone.now() - timedelta(days=2)
    episode = record(users["practitioner"], child, started_at=returned - timedelta(days=1), ended_at=returned)
    client = verified_client(users["practitioner"])
    page = client.get(f"/cases/missing/{episode.pk}/return-interview/").content.decode()
    assert 'type="checkbox" value="unexplained_money"' in page
    assert page.index("Money and possessions") < page.index("Unexplained money, phones or clothes")
    response = client.post(
        f"/cases/missing/{episode.pk}/return-interview/",
        {
            "outcome": "accepted",
            **moment("offered_at", returned + timedelta(hours=20)),
            **moment("held_at", returned + timedelta(hours=30)),
            "interviewer": "Sam Reid",
            "interviewer_agency": str(users["practitioner"].agency_id),
            "child_said": "I owed Dee for the trainers",
            "indicators_found": ["unexplained_money", "found_out_of_area"],
        },
    )
    assert response.status_code == 302
    interview = ReturnInterview.objects.get(episode=episode)
    assert interview.outcome == "accepted" and interview.interviewer == "Sam Reid"
    assert interview.indicators_found == ["unexplained_money", "found_out_of_area"]
    assert interview.child_said == "I owed Dee for the trainers"
    shown = client.get(f"/cases/missing/{episode.pk}/").content.decode()
    assert "Interview offered in time" in shown and "Unexplained money, phones or clothes" in shown


def test_an_indicator_not_in_the_current_tool_is_refused(users, child, tool):
    returned = timezone.now() - timedelta(days=2)
    episode = record(users["practitioner"], child, started_at=returned - timedelta(days=1), ended_at=returned)
    with pytest.raises(ValidationError) as refused:
        services.record_return_interview(
            episode,
            user=users["practitioner"],
            outcome="accepted",
            offered_at=returned + timedelta(hours=1),
            indicators_found=["made_up"],
        )
    assert refused.value.message_dict == {"indicators_found": ["Choose indicators from the current screening tool"]}
    assert not ReturnInterview.objects.exists()


def test_an_offer_before_the_return_is_refused(users, verified_client, child):
    returned = timezone.now() - timedelta(days=2)
    episode = record(users["practitioner"], child, started_at=returned - timedelta(days=1), ended_at=returned)
    response = verified_client(users["practitioner"]).post(
        f"/cases/missing/{episode.pk}/return-interview/",
        {"outcome": "declined", **moment("offered_at", returned - timedelta(hours=5))},
    )
    assert "The interview must have been offered after they came back" in response.content.decode()
    assert not ReturnInterview.objects.exists()


def test_an_offer_must_say_when_it_was_made(users, verified_client, child):
    returned = timezone.now() - timedelta(days=2)
    episode = record(users["practitioner"], child, started_at=returned - timedelta(days=1), ended_at=returned)
    response = verified_client(users["practitioner"]).post(
        f"/cases/missing/{episode.pk}/return-interview/", {"outcome": "declined"}
    )
    assert "Enter the date and time the interview was offered" in response.content.decode()
    assert not ReturnInterview.objects.exists()


def test_without_a_screening_tool_the_interview_page_says_so(users, verified_client, child):
    returned = timezone.now() - timedelta(days=1)
    episode = record(users["practitioner"], child, started_at=returned - timedelta(days=1), ended_at=returned)
    page = verified_client(users["practitioner"]).get(f"/cases/missing/{episode.pk}/return-interview/")
    assert "No screening tool has been loaded yet" in page.content.decode()


def test_the_interview_is_overdue_72_hours_after_the_return(users, verified_client, child):
    returned = timezone.now() - timedelta(hours=80)
    episode = record(users["practitioner"], child, started_at=returned - timedelta(days=1), ended_at=returned)
    page = verified_client(users["practitioner"]).get(f"/cases/missing/{episode.pk}/").content.decode()
    assert "Interview overdue" in page and "it is overdue" in page


# ------------------------------------------------------------ the child's episodes


def test_the_list_shows_the_childs_episodes_and_the_repeat_flag(users, verified_client, child):
    now = timezone.now()
    for days in (3, 20, 60):
        record(
            users["practitioner"], child, started_at=now - timedelta(days=days), ended_at=now - timedelta(days=days - 1)
        )
    page = verified_client(users["practitioner"]).get(f"/cases/child/{child.reference}/missing/").content.decode()
    assert page.count("/cases/missing/") == 3
    assert "Repeatedly missing: 2 missing episodes in the last 30 days" in page
    event = AuditEvent.objects.get(action="list", person_id=child.pk)
    assert len(event.detail["missing_episodes"]) == 3


def test_the_childs_record_shows_the_flag_and_the_links(users, verified_client, child):
    now = timezone.now()
    for days in (3, 10):
        record(users["practitioner"], child, started_at=now - timedelta(days=days))
    page = verified_client(users["practitioner"]).get(f"/people/{child.reference}/").content.decode()
    assert "Repeatedly missing" in page
    assert f"/cases/child/{child.reference}/missing/new/" in page
    assert "Missing episodes (2)" in page


def test_an_analyst_who_sees_the_child_does_not_see_the_episodes(users, verified_client, child):
    child.intelligence_subject = True
    child.save()
    record(users["practitioner"], child)
    client = verified_client(users["analyst"])
    assert client.get(f"/cases/child/{child.reference}/missing/").status_code == 403
    assert "Missing episodes" not in client.get(f"/people/{child.reference}/").content.decode()


def test_the_list_costs_the_same_queries_however_many_episodes(
    users, verified_client, child, django_assert_max_num_queries
):
    client = verified_client(users["practitioner"])
    record(users["practitioner"], child)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/child/{child.reference}/missing/")
    now = timezone.now()
    for days in range(5, 60, 3):
        record(
            users["practitioner"], child, started_at=now - timedelta(days=days), ended_at=now - timedelta(days=days - 1)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/cases/child/{child.reference}/missing/")
