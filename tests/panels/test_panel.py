"""The Child Exploitation Operational Panel: its agenda in sections, panel
decisions, actions becoming tasks, the action tracker and the escalation of
overdue actions to the chair."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from hoth.contexts.models import Context
from hoth.notifications.models import Notification
from hoth.panels import panel, selectors, services, tracker
from hoth.panels.models import AgendaItem, Decision, Meeting, MeetingAction, PanelDecision, Section
from hoth.people.models import Involvement, Person
from hoth.tasks.models import Task
from hoth.tasks.services import complete_task

NEXT_WEEK = date.today() + timedelta(days=7)


# ---------------------------------------------------------------- the agenda


def test_panel_chair_schedules_a_panel_and_children_are_proposed(
    users, make_panel, high_child, referred_child, make_child, make_screening
):
    not_open = make_child("Amir", "Khan")
    make_screening(not_open, level="high")  # High, but no case: not the panel's
    meeting = panel.schedule_panel(
        user=users["panel_chair"],
        starts_at=timezone.now() + timedelta(days=3),
        location="Room 2",
        chair=users["panel_chair"],
    )
    items = {item.person_id: item for item in meeting.items.all()}
    assert set(items) == {high_child.pk, referred_child.pk}
    assert items[high_child.pk].section == Section.HIGH
    assert items[referred_child.pk].section == Section.REFERRED
    assert all(item.status == AgendaItem.Status.PROPOSED for item in items.values())
    assert items[high_child.pk].screening.level == "high"


def test_a_child_whose_latest_screening_is_lower_is_not_proposed(users, make_panel, high_child, make_screening):
    make_screening(high_child, level="medium", completed_at=timezone.now())
    assert panel.propose_panel_agenda(make_panel(), user=users["panel_chair"]) == []


def test_referrals_before_the_last_panel_are_not_proposed_again(users, make_panel, referred_child):
    make_panel(
        starts_at=timezone.now() - timedelta(hours=1), status=Meeting.Status.CONFIRMED, confirmed_at=timezone.now()
    )
    assert selectors.referred_children(make_panel()) == []


def test_proposing_again_adds_nothing_twice(users, make_panel, high_child):
    meeting = make_panel()
    assert len(panel.propose_panel_agenda(meeting, user=users["panel_chair"])) == 1
    assert panel.propose_panel_agenda(meeting, user=users["panel_chair"]) == []


def test_only_a_panel_chair_may_chair_the_panel(users):
    with pytest.raises(ValidationError) as error:
        panel.schedule_panel(
            user=users["coordinator"],
            starts_at=timezone.now() + timedelta(days=3),
            location="Room 2",
            chair=users["practitioner"],
        )
    assert "panel chair" in str(error.value)
    assert not Meeting.objects.exists()


def test_practitioner_cannot_schedule_a_panel(users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        panel.schedule_panel(
            user=users["practitioner"],
            starts_at=timezone.now() + timedelta(days=3),
            location="Room 2",
            chair=users["panel_chair"],
        )


def test_chair_adds_a_person_of_concern_a_place_and_a_theme(users, make_panel, person_of_concern, place):
    meeting = make_panel()
    chair = users["panel_chair"]
    person_item = panel.add_person_of_concern(meeting, person_of_concern.reference.lower(), user=chair)
    place_item = panel.add_place_of_concern(meeting, place.reference, user=chair)
    theme_item = panel.add_theme(meeting, "  Older males  offering lifts outside schools ", user=chair)
    assert (person_item.section, person_item.person) == (Section.PERSON, person_of_concern)
    assert (place_item.section, place_item.context, place_item.person) == (Section.PLACE, place, None)
    assert (theme_item.section, theme_item.theme) == (Section.THEME, "Older males offering lifts outside schools")
    assert [i.section for i in meeting.items.order_by("position")] == ["person", "place", "theme"]
    assert all(i.status == AgendaItem.Status.ACCEPTED for i in meeting.items.all())


def test_a_child_is_not_a_person_of_concern(users, make_panel, high_child):
    with pytest.raises(ValidationError) as error:
        panel.add_person_of_concern(make_panel(), high_child.reference, user=users["panel_chair"])
    assert f"no person of concern with the reference {high_child.reference}" in str(error.value)


def test_a_peer_group_is_not_a_place(users, make_panel):
    group = Context.objects.create(kind=Context.Kind.PEER_GROUP, name="The Valley lot")
    with pytest.raises(ValidationError):
        panel.add_place_of_concern(make_panel(), group.reference, user=users["panel_chair"])


def test_the_same_person_of_concern_is_not_added_twice(users, make_panel, person_of_concern):
    meeting = make_panel()
    panel.add_person_of_concern(meeting, person_of_concern.reference, user=users["panel_chair"])
    with pytest.raises(ValidationError) as error:
        panel.add_person_of_concern(meeting, person_of_concern.reference, user=users["panel_chair"])
    assert "already on this agenda" in str(error.value)
    assert meeting.items.count() == 1


def test_an_empty_theme_is_refused(users, make_panel):
    with pytest.raises(ValidationError):
        panel.add_theme(make_panel(), "   ", user=users["panel_chair"])


def test_agenda_is_numbered_section_by_section(users, make_panel, high_child, person_of_concern, place):
    meeting = make_panel()
    chair = users["panel_chair"]
    theme = panel.add_theme(meeting, "Knife carrying in Nantwich", user=chair)
    place_item = panel.add_place_of_concern(meeting, place.reference, user=chair)
    [proposed] = panel.propose_panel_agenda(meeting, user=chair)
    services.set_item_status(proposed, AgendaItem.Status.ACCEPTED, user=chair)
    order = [(i.section, i.position) for i in meeting.items.order_by("position")]
    assert order == [("high", 1), ("place", 2), ("theme", 3)]
    # Moving up the first item of a section does not jump into the section before.
    services.move_item(AgendaItem.objects.get(pk=place_item.pk), "up", user=chair)
    assert AgendaItem.objects.get(pk=place_item.pk).position == 2
    assert AgendaItem.objects.get(pk=theme.pk).position == 3


def test_the_database_refuses_a_screening_item_without_a_child(users, make_meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=make_meeting(), position=1)


def test_the_database_refuses_a_place_item_without_a_place(users, make_panel):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=make_panel(), position=1, section=Section.PLACE)


def test_a_screening_meeting_item_gets_no_panel_decision(users, make_meeting, person_of_concern):
    meeting = make_meeting()
    item = AgendaItem.objects.create(meeting=meeting, position=1, person=person_of_concern)
    with pytest.raises(ValidationError):
        panel.record_panel_decision(item, user=users["coordinator"], decision=PanelDecision.NOTED, rationale="Noted")


# ---------------------------------------------------------------- decisions and confirming


def _run_panel(users, make_panel, high_child, person_of_concern, place):
    meeting = make_panel()
    chair = users["panel_chair"]
    [child_item] = panel.propose_panel_agenda(meeting, user=chair)
    services.set_item_status(child_item, AgendaItem.Status.ACCEPTED, user=chair)
    person_item = panel.add_person_of_concern(meeting, person_of_concern.reference, user=chair)
    place_item = panel.add_place_of_concern(meeting, place.reference, user=chair)
    return meeting, child_item, person_item, place_item


def test_confirming_needs_a_panel_decision_for_every_item(users, make_panel, high_child, person_of_concern, place):
    meeting, child_item, person_item, place_item = _run_panel(users, make_panel, high_child, person_of_concern, place)
    panel.record_panel_decision(
        child_item,
        user=users["panel_chair"],
        decision=PanelDecision.CONTINUE_OVERSIGHT,
        rationale="Still going missing",
    )
    problems = services.confirmation_problems(meeting)
    assert problems == [
        f"Item 2 ({person_of_concern.reference}): record the panel's decision",
        f"Item 3 ({place.reference}): record the panel's decision",
    ]
    with pytest.raises(services.MeetingIncomplete):
        services.confirm_meeting(meeting, user=users["panel_chair"])


def test_panel_decision_must_be_one_of_the_panels(users, make_panel, high_child, person_of_concern, place):
    _, child_item, _, _ = _run_panel(users, make_panel, high_child, person_of_concern, place)
    with pytest.raises(ValidationError):
        panel.record_panel_decision(child_item, user=users["panel_chair"], decision=Decision.OPEN_CASE, rationale="x")
    with pytest.raises(ValidationError):
        panel.record_panel_decision(
            child_item, user=users["panel_chair"], decision=PanelDecision.ESCALATE, rationale="  "
        )
    child_item.refresh_from_db()
    assert child_item.panel_decision == ""


def test_confirming_the_panel_turns_actions_into_tasks(users, make_panel, high_child, person_of_concern, place):
    meeting, child_item, person_item, place_item = _run_panel(users, make_panel, high_child, person_of_concern, place)
    chair = users["panel_chair"]
    for item, decision in (
        (child_item, PanelDecision.CONTINUE_OVERSIGHT),
        (person_item, PanelDecision.DISRUPTION_PLAN),
        (place_item, PanelDecision.DISRUPTION_PLAN),
    ):
        panel.record_panel_decision(item, user=chair, decision=decision, rationale="Agreed by all agencies")
    services.add_action(
        child_item, user=chair, description="Safety plan review", owner=users["practitioner"], due_date=NEXT_WEEK
    )
    services.add_action(
        person_item,
        user=chair,
        description="Apply for a Child Abduction Warning Notice",
        owner=users["analyst"],
        due_date=NEXT_WEEK,
    )
    result = services.confirm_meeting(meeting, user=chair)
    assert len(result.tasks) == 2 and result.cases == []
    child_task = Task.objects.get(owner=users["practitioner"])
    assert child_task.person == high_child and child_task.case.person == high_child
    suspect_task = Task.objects.get(owner=users["analyst"])
    # A task about a person of concern names no one and is not linked to them.
    assert suspect_task.person is None
    assert person_of_concern.reference in suspect_task.details
    assert "Holt" not in suspect_task.details and "Holt" not in suspect_task.title
    # Confirming again sets no second task.
    assert services.confirm_meeting(meeting, user=chair).already_confirmed
    assert Task.objects.count() == 2


# ---------------------------------------------------------------- tracker and escalation


@pytest.fixture
def confirmed_panel(users, make_panel, high_child):
    """A panel held a fortnight ago whose two actions are now a task overdue and one done."""
    chair = users["panel_chair"]
    meeting = make_panel()
    [item] = panel.propose_panel_agenda(meeting, user=chair)
    services.set_item_status(item, AgendaItem.Status.ACCEPTED, user=chair)
    panel.record_panel_decision(item, user=chair, decision=PanelDecision.CONTINUE_OVERSIGHT, rationale="Risk high")
    late = services.add_action(
        item, user=chair, description="Return home interview", owner=users["practitioner"], due_date=NEXT_WEEK
    )
    done = services.add_action(
        item, user=chair, description="Share school attendance", owner=users["school_practitioner"], due_date=NEXT_WEEK
    )
    services.confirm_meeting(meeting, user=chair)
    MeetingAction.objects.filter(pk__in=[late.pk, done.pk]).update(due_date=date.today() - timedelta(days=3))
    Task.objects.filter(meeting_action__in=[late, done]).update(due_date=date.today() - timedelta(days=3))
    done.refresh_from_db()
    complete_task(done.task, user=users["school_practitioner"])
    return meeting, MeetingAction.objects.get(pk=late.pk), MeetingAction.objects.get(pk=done.pk)


def test_overdue_action_is_escalated_to_the_chair_once(users, confirmed_panel):
    meeting, late, done = confirmed_panel
    escalated = tracker.escalate_overdue_actions()
    assert [a.pk for a in escalated] == [late.pk]
    note = Notification.objects.get(user=users["panel_chair"])
    assert note.subject == "A panel action is overdue"
    assert "Return home interview" in note.body and "Brennan" not in note.body
    assert note.url == "/meetings/panel/actions/?status=overdue"
    late.refresh_from_db()
    assert late.escalated_at is not None
    # Running again the next day tells no one twice.
    assert tracker.escalate_overdue_actions(today=date.today() + timedelta(days=1)) == []
    assert Notification.objects.filter(user=users["panel_chair"]).count() == 1


def test_the_daily_command_escalates_and_is_idempotent(users, confirmed_panel, capsys):
    call_command("escalate_overdue_panel_actions")
    call_command("escalate_overdue_panel_actions")
    assert capsys.readouterr().out.splitlines() == [
        "1 overdue panel action escalated to the chair",
        "0 overdue panel actions escalated to the chair",
    ]
    assert Notification.objects.filter(user=users["panel_chair"], subject="A panel action is overdue").count() == 1


def test_actions_not_yet_due_and_screening_actions_are_not_escalated(users, confirmed_panel, make_meeting, make_child):
    meeting, late, _ = confirmed_panel
    Task.objects.filter(pk=late.task_id).update(status=Task.Status.DONE)
    screening_meeting = make_meeting(status=Meeting.Status.CONFIRMED)
    item = AgendaItem.objects.create(meeting=screening_meeting, position=1, person=make_child("Tom", "Wade"))
    task = Task.objects.create(
        title="Visit",
        owner=users["practitioner"],
        owner_agency=users["practitioner"].agency,
        due_date=date.today() - timedelta(days=5),
        created_by=users["coordinator"],
    )
    MeetingAction.objects.create(
        item=item,
        description="Visit",
        owner=users["practitioner"],
        owner_agency=users["practitioner"].agency,
        due_date=date.today() - timedelta(days=5),
        task=task,
    )
    assert tracker.escalate_overdue_actions() == []


def test_tracker_filters(users, confirmed_panel, agencies):
    meeting, late, done = confirmed_panel
    actions = tracker.panel_actions(Meeting.objects.all())
    assert set(actions) == {late, done}
    assert list(tracker.filter_actions(actions, status=tracker.OVERDUE)) == [late]
    assert list(tracker.filter_actions(actions, status=tracker.DONE)) == [done]
    assert list(tracker.filter_actions(actions, status=tracker.OPEN)) == []
    assert list(tracker.filter_actions(actions, agency=agencies["school"])) == [done]
    assert list(tracker.filter_actions(actions, owner=users["practitioner"])) == [late]
    assert set(tracker.filter_actions(actions, meeting=meeting)) == {late, done}
    assert not tracker.filter_actions(
        actions,
        meeting=Meeting.objects.create(
            kind=Meeting.Kind.PANEL,
            starts_at=timezone.now(),
            chair=users["panel_chair"],
            created_by=users["panel_chair"],
        ),
    ).exists()


def test_panel_chair_sees_persons_of_concern_and_places(users, person_of_concern, place):
    """The panel's subject: DESIGN gives the panel chair persons and places of
    concern (the scopes of people.Person and contexts.Context)."""
    chair = users["panel_chair"]
    assert Person.objects.visible_to(chair).filter(pk=person_of_concern.pk).exists()
    assert Context.objects.visible_to(chair).filter(pk=place.pk).exists()
    child = Person.objects.create(given_names="Amy", family_name="Lowe", date_of_birth=date(2012, 1, 1))
    assert not Person.objects.visible_to(chair).filter(pk=child.pk).exists()
    Involvement.objects.create(person=child, user=chair, kind=Involvement.Kind.ASSIGNED)
    assert Person.objects.visible_to(chair).filter(pk=child.pk).exists()


def test_panel_decisions_about_the_child_feed_the_case_timeline(users, make_panel, high_child, person_of_concern):
    from hoth.cases.models import Case
    from hoth.panels import timeline

    chair = users["panel_chair"]
    meeting = make_panel()
    [item] = panel.propose_panel_agenda(meeting, user=chair)
    services.set_item_status(item, AgendaItem.Status.ACCEPTED, user=chair)
    suspect = panel.add_person_of_concern(meeting, person_of_concern.reference, user=chair)
    for each in (item, suspect):
        panel.record_panel_decision(each, user=chair, decision=PanelDecision.STEP_DOWN, rationale="Risk reduced")
    case = Case.objects.get(person=high_child)
    assert timeline.events(case, users["practitioner"]) == []  # not until the panel is confirmed
    services.confirm_meeting(meeting, user=chair)
    [event] = timeline.events(case, users["practitioner"])
    assert event.title == "Panel decision: Step down to a single-agency response" and event.url == ""
    [seen_by_chair] = timeline.events(case, chair)
    assert seen_by_chair.url == f"/meetings/{meeting.pk}/items/{item.pk}/"


def test_a_task_moved_to_a_later_date_is_not_escalated(users, confirmed_panel):
    """Once confirmed, the task is the live record: its owner may agree a new date."""
    _, late, _ = confirmed_panel
    Task.objects.filter(pk=late.task_id).update(due_date=date.today() + timedelta(days=2))
    assert tracker.escalate_overdue_actions() == []
    assert not tracker.filter_actions(tracker.panel_actions(Meeting.objects.all()), status=tracker.OVERDUE).exists()


def test_the_panel_chair_sees_the_children_on_the_panels_agenda_and_no_others(users, make_panel, make_child):
    from hoth.access.involvement import involved_with
    from hoth.panels.models import AgendaItem
    from hoth.people.models import Person

    panel = make_panel()
    on_agenda, elsewhere = make_child("Kayleigh", "Brennan"), make_child("Jade", "Pritchard")
    AgendaItem.objects.create(meeting=panel, person=on_agenda, section="high")
    chair = users["panel_chair"]
    assert list(Person.objects.visible_to(chair).filter(pk__in=[on_agenda.pk, elsewhere.pk])) == [on_agenda]
    assert Person.objects.filter(involved_with(chair, "pk"), pk=on_agenda.pk).exists()
