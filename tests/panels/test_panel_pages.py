"""The panel's pages: scheduling, the sectioned agenda, adding persons and
places of concern and themes, an item's decision, the action tracker and the
minutes, with names shown only to those entitled to them."""

from datetime import date, timedelta

import pytest

from hoth.audit.models import AuditEvent
from hoth.panels import panel, services
from hoth.panels.minutes import NAME_WITHHELD, minutes_html
from hoth.panels.models import AgencyContribution, AgendaItem, Meeting, MeetingAction, PanelDecision, Section
from hoth.people.models import Involvement
from hoth.tasks.models import Task

NEXT_WEEK = date.today() + timedelta(days=7)
POLICE_TEXT = "Seen with Holt at the bus station twice this month"


@pytest.fixture
def full_panel(users, agencies, make_panel, high_child, person_of_concern, place):
    chair = users["panel_chair"]
    meeting = make_panel()
    [child_item] = panel.propose_panel_agenda(meeting, user=chair)
    services.set_item_status(child_item, AgendaItem.Status.ACCEPTED, user=chair)
    person_item = panel.add_person_of_concern(meeting, person_of_concern.reference, user=chair)
    place_item = panel.add_place_of_concern(meeting, place.reference, user=chair)
    theme_item = panel.add_theme(meeting, "Lifts offered outside schools", user=chair)
    AgencyContribution.objects.create(
        item=person_item, agency=agencies["police"], text=POLICE_TEXT, recorded_by=users["analyst"]
    )
    return meeting, child_item, person_item, place_item, theme_item


def test_panel_chair_schedules_a_panel_in_the_browser_form(users, verified_client, high_child):
    day = date.today() + timedelta(days=5)
    client = verified_client(users["panel_chair"])
    response = client.post(
        "/meetings/panel/new/",
        {
            "day_0": day.day,
            "day_1": day.month,
            "day_2": day.year,
            "at": "2pm",
            "location": "Delamere House",
            "chair": users["panel_chair"].pk,
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.kind == Meeting.Kind.PANEL
    assert meeting.items.get().person == high_child


def test_a_coordinator_cannot_be_named_panel_chair(users, verified_client):
    day = date.today() + timedelta(days=5)
    response = verified_client(users["coordinator"]).post(
        "/meetings/panel/new/",
        {
            "day_0": day.day,
            "day_1": day.month,
            "day_2": day.year,
            "at": "2pm",
            "location": "Room",
            "chair": users["coordinator"].pk,
        },
    )
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_panel_chair_may_not_schedule_a_screening_meeting(users, verified_client):
    assert verified_client(users["panel_chair"]).get("/meetings/new/").status_code == 403


def test_agenda_shows_each_section_with_the_children_the_panel_oversees(
    users, verified_client, full_panel, high_child, person_of_concern, place
):
    meeting = full_panel[0]
    page = verified_client(users["panel_chair"]).get(f"/meetings/{meeting.pk}/").content.decode()
    for label in Section.labels:
        assert label in page
    # The chair does not work with the child, but oversees every child on the
    # panel's agenda; persons and places of concern are the panel's subject.
    assert high_child.full_name in page and high_child.reference in page
    assert person_of_concern.full_name in page and place.name in page and "Lifts offered outside schools" in page
    event = AuditEvent.objects.filter(action="view", object_id=str(meeting.pk)).latest("pk")
    assert set(event.detail["person_ids"]) == {high_child.pk, person_of_concern.pk}


def test_chair_involved_with_the_child_reads_the_name(users, verified_client, full_panel, high_child):
    Involvement.objects.create(person=high_child, user=users["panel_chair"], kind=Involvement.Kind.ASSIGNED)
    page = verified_client(users["panel_chair"]).get(f"/meetings/{full_panel[0].pk}/").content.decode()
    assert high_child.full_name in page


def test_adding_an_unknown_person_shows_a_specific_error(users, verified_client, make_panel):
    meeting = make_panel()
    response = verified_client(users["panel_chair"]).post(
        f"/meetings/{meeting.pk}/panel/add/person/", {"reference": "P-NOPE123"}
    )
    assert response.status_code == 200
    assert "There is no person of concern with the reference P-NOPE123" in response.content.decode()
    assert not meeting.items.exists()


def test_adding_a_place_and_a_theme_by_page(users, verified_client, make_panel, place):
    meeting = make_panel()
    client = verified_client(users["panel_chair"])
    response = client.post(f"/meetings/{meeting.pk}/panel/add/place/", {"reference": place.reference})
    assert response.status_code == 302 and response["Location"].endswith("#section-place")
    client.post(f"/meetings/{meeting.pk}/panel/add/theme/", {"title": "Vapes sold to under-18s"})
    assert {(i.section, i.context_id, i.theme) for i in meeting.items.all()} == {
        ("place", place.pk, ""),
        ("theme", None, "Vapes sold to under-18s"),
    }


def test_an_unknown_section_or_a_screening_meeting_has_no_add_page(users, verified_client, make_panel, make_meeting):
    client = verified_client(users["coordinator"])
    assert client.get(f"/meetings/{make_panel().pk}/panel/add/children/").status_code == 404
    assert client.get(f"/meetings/{make_meeting().pk}/panel/add/theme/").status_code == 404


def test_chair_records_a_panel_decision_and_reads_every_agencys_update(users, verified_client, full_panel):
    meeting, _, person_item, _, _ = full_panel
    client = verified_client(users["panel_chair"])
    url = f"/meetings/{meeting.pk}/items/{person_item.pk}/"
    page = client.get(url).content.decode()
    assert POLICE_TEXT in page and "Agree a disruption plan" in page
    response = client.post(url, {"decision": PanelDecision.DISRUPTION_PLAN, "rationale": "Apply for a CAWN"})
    assert response.status_code == 302
    person_item.refresh_from_db()
    assert person_item.panel_decision == PanelDecision.DISRUPTION_PLAN


def test_decision_without_reasons_is_refused_with_a_message(users, verified_client, full_panel):
    meeting, child_item = full_panel[:2]
    response = verified_client(users["panel_chair"]).post(
        f"/meetings/{meeting.pk}/items/{child_item.pk}/", {"decision": PanelDecision.ESCALATE, "rationale": ""}
    )
    assert "Enter the reasons for the decision" in response.content.decode()
    child_item.refresh_from_db()
    assert child_item.panel_decision == ""


def test_panel_chair_uses_the_shared_pages(users, verified_client, full_panel, agencies):
    meeting, child_item = full_panel[:2]
    client = verified_client(users["panel_chair"])
    response = client.post(
        f"/meetings/{meeting.pk}/attendance/",
        {"agency": agencies["police"].pk, "name": "DI Sarah Moss", "status": "present"},
    )
    assert response.status_code == 302 and meeting.attendance.get().name == "DI Sarah Moss"
    response = client.post(
        f"/meetings/{meeting.pk}/items/{child_item.pk}/actions/new/",
        {
            "description": "Review the safety plan",
            "owner": users["practitioner"].pk,
            "due_date_0": NEXT_WEEK.day,
            "due_date_1": NEXT_WEEK.month,
            "due_date_2": NEXT_WEEK.year,
        },
    )
    assert response.status_code == 302 and child_item.actions.count() == 1


def test_confirming_the_panel_by_page(users, verified_client, full_panel):
    meeting, *items = full_panel
    chair = users["panel_chair"]
    for item in items:
        panel.record_panel_decision(item, user=chair, decision=PanelDecision.CONTINUE_OVERSIGHT, rationale="Agreed")
    services.add_action(
        items[0], user=chair, description="Review the safety plan", owner=users["practitioner"], due_date=NEXT_WEEK
    )
    client = verified_client(chair)
    assert "When you confirm, actions become tasks" in client.get(f"/meetings/{meeting.pk}/confirm/").content.decode()
    response = client.post(f"/meetings/{meeting.pk}/confirm/", follow=True)
    assert "Panel confirmed. 1 task set" in response.content.decode()
    assert Task.objects.get().owner == users["practitioner"]


def test_minutes_name_only_whom_the_reader_may_see(users, agencies, full_panel, high_child, person_of_concern, place):
    meeting = full_panel[0]
    chair_html = minutes_html(meeting, users["panel_chair"])
    assert high_child.full_name in chair_html and person_of_concern.full_name in chair_html
    assert place.name in chair_html
    assert POLICE_TEXT in chair_html  # the chair hears every agency's update
    coordinator_html = minutes_html(meeting, users["coordinator"])
    assert high_child.full_name in coordinator_html and person_of_concern.full_name in coordinator_html
    # An analyst sees persons of concern but not the child: the child's name is withheld.
    analyst_html = minutes_html(meeting, users["analyst"])
    assert high_child.full_name not in analyst_html and NAME_WITHHELD in analyst_html
    assert high_child.reference in analyst_html and person_of_concern.full_name in analyst_html


def test_minutes_pdf_of_the_panel(users, verified_client, full_panel, person_of_concern, high_child):
    meeting = full_panel[0]
    response = verified_client(users["panel_chair"]).get(f"/meetings/{meeting.pk}/minutes.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "panel-" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="print")
    assert set(event.detail["person_ids"]) == {high_child.pk, person_of_concern.pk}


def test_minutes_page_lists_every_section(users, verified_client, full_panel):
    page = verified_client(users["panel_chair"]).get(f"/meetings/{full_panel[0].pk}/minutes/").content.decode()
    for label in Section.labels:
        assert label in page


# ---------------------------------------------------------------- the tracker


@pytest.fixture
def tracked(users, full_panel):
    meeting, child_item, person_item, place_item, theme_item = full_panel
    chair = users["panel_chair"]
    for item in full_panel[1:]:
        panel.record_panel_decision(item, user=chair, decision=PanelDecision.CONTINUE_OVERSIGHT, rationale="Agreed")
    late = services.add_action(
        person_item, user=chair, description="Apply for a CAWN", owner=users["analyst"], due_date=NEXT_WEEK
    )
    services.add_action(
        child_item, user=chair, description="Review the safety plan", owner=users["practitioner"], due_date=NEXT_WEEK
    )
    services.confirm_meeting(meeting, user=chair)
    Task.objects.filter(meeting_action=late).update(due_date=date.today() - timedelta(days=1))
    return meeting, late


def test_tracker_lists_panel_actions_and_flags_overdue_ones(
    users, verified_client, tracked, person_of_concern, high_child, django_assert_max_num_queries
):
    client = verified_client(users["panel_chair"])
    with django_assert_max_num_queries(20):
        page = client.get("/meetings/panel/actions/").content.decode()
    assert "Apply for a CAWN" in page and "Review the safety plan" in page
    assert "1 action overdue" in page and "Overdue" in page
    assert person_of_concern.full_name in page and high_child.full_name in page
    event = AuditEvent.objects.filter(action="view").latest("pk")
    assert set(event.detail["person_ids"]) == {high_child.pk, person_of_concern.pk}


def test_tracker_filters_by_status_and_agency(users, verified_client, tracked, agencies):
    client = verified_client(users["panel_chair"])
    overdue = client.get("/meetings/panel/actions/?status=overdue").content.decode()
    assert "Apply for a CAWN" in overdue and "Review the safety plan" not in overdue
    council = client.get(f"/meetings/panel/actions/?agency={agencies['council'].pk}").content.decode()
    assert "Review the safety plan" in council and "Apply for a CAWN" not in council


def test_tracker_leaves_out_screening_meeting_actions(users, verified_client, tracked, make_meeting, make_child):
    screening = make_meeting(status=Meeting.Status.CONFIRMED)
    item = AgendaItem.objects.create(meeting=screening, position=1, person=make_child("Tom", "Wade"))
    task = Task.objects.create(
        title="Screening action",
        owner=users["practitioner"],
        owner_agency=users["practitioner"].agency,
        due_date=NEXT_WEEK,
        created_by=users["coordinator"],
    )
    MeetingAction.objects.create(
        item=item,
        description="Screening action",
        owner=users["practitioner"],
        owner_agency=users["practitioner"].agency,
        due_date=NEXT_WEEK,
        task=task,
    )
    page = verified_client(users["coordinator"]).get("/meetings/panel/actions/").content.decode()
    assert "Screening action" not in page and "Apply for a CAWN" in page


def test_tracker_says_when_the_chair_was_told(users, verified_client, tracked):
    from hoth.panels.tracker import escalate_overdue_actions

    escalate_overdue_actions()
    page = verified_client(users["coordinator"]).get("/meetings/panel/actions/?status=overdue").content.decode()
    assert "Chair told" in page
