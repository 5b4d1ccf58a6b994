"""The screening meeting's pages: scheduling, the agenda, items, confirming
and the minutes, with who may see what on each."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hoth.audit.models import AuditEvent
from hoth.cases.models import Case
from hoth.panels import services
from hoth.panels.forms import parse_time
from hoth.panels.minutes import NAME_WITHHELD, minutes_html
from hoth.panels.models import AgencyContribution, AgendaItem, Attendance, Decision, Meeting
from hoth.people.models import Involvement

POLICE_TEXT = "Seen at the station with an adult wanted on warrant"
SCHOOL_TEXT = "Attendance has fallen to 62 percent this term"
NEXT_WEEK = date.today() + timedelta(days=7)


@pytest.fixture
def meeting_with_item(users, agencies, make_child, make_referral, make_screening, make_meeting):
    meeting = make_meeting()
    referral = make_referral(make_child())
    make_screening(referral.person, referral, level="high")
    item = services.add_referral(meeting, referral, user=users["coordinator"])
    for agency, text in (("police", POLICE_TEXT), ("school", SCHOOL_TEXT)):
        AgencyContribution.objects.create(
            item=item, agency=agencies[agency], text=text, recorded_by=users["coordinator"]
        )
    Attendance.objects.create(meeting=meeting, agency=agencies["police"], name="DS Cole")
    return meeting, item


def _pages(meeting, item):
    base = f"/meetings/{meeting.pk}/"
    return [
        base,
        f"{base}items/{item.pk}/",
        f"{base}minutes/",
        f"{base}minutes.pdf",
        f"{base}confirm/",
        f"{base}attendance/",
    ]


# ---------------------------------------------------------------- scheduling


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("10:00", (10, 0)),
        ("9.30", (9, 30)),
        ("2pm", (14, 0)),
        ("12am", (0, 0)),
        ("25:00", None),
        ("13pm", None),
        ("soon", None),
    ],
)
def test_start_time_is_read_as_people_write_it(typed, expected):
    parsed = parse_time(typed)
    assert (parsed.hour, parsed.minute) == expected if expected else parsed is None


def test_coordinator_schedules_a_meeting_and_its_agenda_is_proposed(
    users, verified_client, make_child, make_referral, make_screening
):
    referral = make_referral(make_child())
    make_screening(referral.person, referral)
    day = date.today() + timedelta(days=3)
    response = verified_client(users["coordinator"]).post(
        "/meetings/new/",
        {
            "day_0": day.day,
            "day_1": day.month,
            "day_2": day.year,
            "at": "10am",
            "location": "Room 4",
            "chair": users["coordinator"].pk,
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    assert timezone.localtime(meeting.starts_at).hour == 10
    assert meeting.items.get().status == AgendaItem.Status.PROPOSED


def test_a_past_date_a_bad_time_and_a_chair_who_is_not_a_coordinator_are_refused(users, verified_client):
    day = date.today() - timedelta(days=1)
    response = verified_client(users["coordinator"]).post(
        "/meetings/new/",
        {
            "day_0": day.day,
            "day_1": day.month,
            "day_2": day.year,
            "at": "half ten",
            "location": "",
            "chair": users["practitioner"].pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Meeting.objects.exists()
    for message in (
        "The date must be today or in the future",
        "Enter a real time, like 10:00 or 2pm",
        "Enter where the meeting will be held",
        "Select a valid choice",
    ):
        assert message in page
    assert "govuk-error-summary" in page


def test_meetings_list_shows_planned_and_past_meetings(users, verified_client, make_meeting):
    make_meeting(location="Planned room")
    make_meeting(starts_at=timezone.now() - timedelta(days=7), location="Old room", status=Meeting.Status.CONFIRMED)
    page = verified_client(users["coordinator"]).get("/meetings/").content.decode()
    assert "To be held or confirmed" in page and "Planned room" in page and "Confirmed" in page


# ---------------------------------------------------------------- the agenda


def test_detail_page_moves_items_without_javascript(users, verified_client, make_child, make_referral, make_meeting):
    meeting = make_meeting()
    first = services.add_referral(meeting, make_referral(make_child()), user=users["coordinator"])
    second = services.add_referral(meeting, make_referral(make_child("Jade", "Pritchard")), user=users["coordinator"])
    client = verified_client(users["coordinator"])
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'action="/meetings/{meeting.pk}/items/{second.pk}/move/"' in page
    response = client.post(f"/meetings/{meeting.pk}/items/{second.pk}/move/", {"direction": "up"})
    assert response.status_code == 302
    assert list(meeting.items.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]


def test_add_item_by_reference_says_what_is_wrong(users, verified_client, make_meeting):
    meeting = make_meeting()
    response = verified_client(users["coordinator"]).post(
        f"/meetings/{meeting.pk}/add-item/", {"reference": "r-nothere"}
    )
    assert "There is no submitted referral with the reference R-NOTHERE" in response.content.decode()
    assert not meeting.items.exists()


def test_detail_page_costs_a_fixed_number_of_queries(
    users,
    verified_client,
    agencies,
    make_child,
    make_referral,
    make_screening,
    make_meeting,
    django_assert_max_num_queries,
):
    meeting = make_meeting()
    for i in range(20):
        referral = make_referral(make_child(f"Child{i}", "Test"))
        make_screening(referral.person, referral)
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=i + 1,
            person=referral.person,
            referral=referral,
            screening=referral.screenings.get(),
        )
        AgencyContribution.objects.create(
            item=item, agency=agencies["police"], text="x", recorded_by=users["coordinator"]
        )
    client = verified_client(users["coordinator"])
    client.get(f"/meetings/{meeting.pk}/")
    with django_assert_max_num_queries(25):
        assert client.get(f"/meetings/{meeting.pk}/").status_code == 200


# ---------------------------------------------------------------- one item


def test_decision_to_open_a_case_needs_a_lead_professional(users, verified_client, meeting_with_item):
    meeting, item = meeting_with_item
    response = verified_client(users["coordinator"]).post(
        f"/meetings/{meeting.pk}/items/{item.pk}/",
        {"decision": Decision.OPEN_CASE, "rationale": "High risk of CCE", "advice": "", "lead_professional": ""},
    )
    assert "Choose the lead professional for the new case" in response.content.decode()
    item.refresh_from_db()
    assert item.decision == ""


def test_action_owner_agency_is_taken_from_the_owner(users, verified_client, meeting_with_item):
    meeting, item = meeting_with_item
    due = NEXT_WEEK
    verified_client(users["coordinator"]).post(
        f"/meetings/{meeting.pk}/items/{item.pk}/actions/new/",
        {
            "description": "Share the disruption plan",
            "owner": users["school_practitioner"].pk,
            "due_date_0": due.day,
            "due_date_1": due.month,
            "due_date_2": due.year,
        },
    )
    action = item.actions.get()
    assert action.owner_agency == users["school_practitioner"].agency


# ---------------------------------------------------------------- confirming through the page


def test_confirm_page_lists_what_is_missing_and_confirms_once_complete(users, verified_client, meeting_with_item):
    meeting, item = meeting_with_item
    client = verified_client(users["coordinator"])
    page = client.get(f"/meetings/{meeting.pk}/confirm/").content.decode()
    assert "The meeting cannot be confirmed yet" in page and "record the meeting&#x27;s decision" in page
    assert client.post(f"/meetings/{meeting.pk}/confirm/").status_code == 400
    services.record_decision(
        item,
        user=users["coordinator"],
        decision=Decision.OPEN_CASE,
        rationale="High",
        lead_professional=users["practitioner"],
    )
    assert client.post(f"/meetings/{meeting.pk}/confirm/").status_code == 302
    assert client.post(f"/meetings/{meeting.pk}/confirm/").status_code == 302  # a double click
    assert Case.objects.count() == 1
    edit = client.post(
        f"/meetings/{meeting.pk}/items/{item.pk}/", {"decision": Decision.EARLY_HELP, "rationale": "Changed"}
    )
    assert edit.status_code == 302
    item.refresh_from_db()
    assert item.decision == Decision.OPEN_CASE


# ---------------------------------------------------------------- contributions and names


@pytest.mark.parametrize("page", range(6))
def test_school_practitioner_cannot_see_police_contribution_on_any_meeting_page(
    users, verified_client, meeting_with_item, page
):
    meeting, item = meeting_with_item
    url = _pages(meeting, item)[page]
    response = verified_client(users["school_practitioner"]).get(url)
    assert response.status_code in (403, 404)
    assert POLICE_TEXT.encode() not in response.content


def test_school_practitioner_cannot_see_police_contribution_in_the_minutes(users, meeting_with_item):
    meeting, item = meeting_with_item
    html = minutes_html(meeting, users["school_practitioner"])
    assert POLICE_TEXT not in html and SCHOOL_TEXT in html
    assert "Information from 1 other agency is not shown to you" in html


def test_coordinator_sees_every_agencys_contribution(users, verified_client, meeting_with_item):
    meeting, item = meeting_with_item
    client = verified_client(users["coordinator"])
    for url in (f"/meetings/{meeting.pk}/items/{item.pk}/", f"/meetings/{meeting.pk}/minutes/"):
        page = client.get(url).content.decode()
        assert POLICE_TEXT in page and SCHOOL_TEXT in page


def test_minutes_withhold_the_childs_name_from_a_reader_who_may_not_see_the_child(users, meeting_with_item):
    meeting, item = meeting_with_item
    withheld = minutes_html(meeting, users["school_practitioner"])
    assert item.person.full_name not in withheld
    assert f"{NAME_WITHHELD} ({item.person.reference})" in withheld
    Involvement.objects.create(person=item.person, user=users["school_practitioner"], kind=Involvement.Kind.ASSIGNED)
    assert item.person.full_name in minutes_html(meeting, users["school_practitioner"])
    assert item.person.full_name in minutes_html(meeting, users["coordinator"])


def test_minutes_pdf_is_generated_and_audited_as_a_print(users, verified_client, meeting_with_item):
    meeting, item = meeting_with_item
    response = verified_client(users["coordinator"]).get(f"/meetings/{meeting.pk}/minutes.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    [event] = AuditEvent.objects.filter(action="print")
    assert event.object_id == str(meeting.pk) and event.detail["person_ids"] == [item.person_id]


def test_minutes_pdf_text_names_the_child_for_a_reader_who_may_see_them(users, meeting_with_item):
    pypdf = pytest.importorskip("pypdf")
    import io

    from hoth.pdf import pdf_from_html

    meeting, item = meeting_with_item
    text = "".join(
        page.extract_text()
        for page in pypdf.PdfReader(io.BytesIO(pdf_from_html(minutes_html(meeting, users["coordinator"])))).pages
    )
    assert item.person.full_name in text


def test_meeting_pages_are_audited_with_the_children_shown(users, verified_client, meeting_with_item):
    meeting, item = meeting_with_item
    verified_client(users["coordinator"]).get(f"/meetings/{meeting.pk}/")
    [event] = AuditEvent.objects.filter(action="view", object_type="panels.Meeting")
    assert event.detail["person_ids"] == [item.person_id]
