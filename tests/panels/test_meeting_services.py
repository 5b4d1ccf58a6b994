"""The screening meeting's services: the agenda it proposes, how it is
ordered, and what confirming the meeting does (once, all or nothing)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hoth.cases.models import Case
from hoth.notifications.models import Notification
from hoth.panels import services
from hoth.panels.agenda import MeetingLocked
from hoth.panels.models import AgendaItem, Decision, Meeting, MeetingAction
from hoth.people.models import Involvement
from hoth.referrals.models import Referral
from hoth.tasks.models import Task

NOW = timezone.now()
NEXT_WEEK = date.today() + timedelta(days=7)


def _items(meeting, status=AgendaItem.Status.ACCEPTED):
    return list(meeting.items.filter(status=status).order_by("position"))


def _decide(item, users, decision=Decision.EARLY_HELP, lead=None):
    return services.record_decision(
        item,
        user=users["coordinator"],
        decision=decision,
        rationale="Emerging concerns; school and family engaged",
        lead_professional=lead,
    )


# ---------------------------------------------------------------- the proposed agenda


def test_agenda_is_proposed_from_referrals_screened_since_the_last_confirmed_meeting(
    users, make_child, make_referral, make_screening, make_meeting
):
    make_meeting(starts_at=NOW - timedelta(days=7), status=Meeting.Status.CONFIRMED)
    before = make_referral(make_child("Old", "Screen"))
    make_screening(before.person, before, completed_at=NOW - timedelta(days=8))
    since = make_referral(make_child())
    screening = make_screening(since.person, since, level="medium", completed_at=NOW - timedelta(days=2))
    meeting = services.schedule_meeting(
        user=users["coordinator"], starts_at=NOW + timedelta(days=1), location="Room 4", chair=users["coordinator"]
    )
    [item] = _items(meeting, AgendaItem.Status.PROPOSED)
    assert (item.referral, item.screening, item.kind) == (since, screening, AgendaItem.Kind.NEW_REFERRAL)


def test_completed_rescreens_without_a_referral_are_proposed_too(users, make_child, make_screening, make_meeting):
    child = make_child()
    make_screening(child, level="low", completed_at=NOW - timedelta(days=3))
    latest = make_screening(child, level="high", completed_at=NOW - timedelta(days=1))
    meeting = make_meeting()
    [item] = services.propose_agenda(meeting, user=users["coordinator"])
    assert (item.kind, item.screening, item.referral) == (AgendaItem.Kind.RESCREEN, latest, None)


def test_proposal_puts_the_highest_level_first_and_leaves_out_decided_referrals(
    users, make_child, make_referral, make_screening, make_meeting
):
    medium = make_referral(make_child("Med", "Ium"))
    make_screening(medium.person, medium, level="medium")
    high = make_referral(make_child("High", "Est"))
    make_screening(high.person, high, level="high")
    decided = make_referral(make_child("Done", "Already"))
    make_screening(decided.person, decided)
    Referral.objects.filter(pk=decided.pk).update(status=Referral.Status.DECIDED)
    added = services.propose_agenda(make_meeting(), user=users["coordinator"])
    assert [i.referral for i in added] == [high, medium]


def test_proposing_again_adds_only_what_is_new_and_never_what_was_removed(
    users, make_child, make_referral, make_screening, make_meeting
):
    first = make_referral(make_child())
    make_screening(first.person, first)
    meeting = make_meeting()
    [item] = services.propose_agenda(meeting, user=users["coordinator"])
    services.set_item_status(item, AgendaItem.Status.REMOVED, user=users["coordinator"])
    assert services.propose_agenda(meeting, user=users["coordinator"]) == []
    second = make_referral(make_child("Jade", "Pritchard"))
    make_screening(second.person, second)
    [new] = services.propose_agenda(meeting, user=users["coordinator"])
    assert new.referral == second


def test_an_item_on_another_planned_meetings_agenda_is_not_proposed_twice(
    users, make_child, make_referral, make_screening, make_meeting
):
    referral = make_referral(make_child())
    make_screening(referral.person, referral)
    services.propose_agenda(make_meeting(), user=users["coordinator"])
    assert services.propose_agenda(make_meeting(starts_at=NOW + timedelta(days=8)), user=users["coordinator"]) == []


def test_a_referral_can_be_added_by_hand_and_goes_at_the_end_of_the_agenda(
    users, make_child, make_referral, make_meeting
):
    meeting = make_meeting()
    first = services.add_referral(meeting, make_referral(make_child()), user=users["coordinator"])
    second = services.add_referral(meeting, make_referral(make_child("Jade", "Pritchard")), user=users["coordinator"])
    assert [(i.pk, i.position) for i in _items(meeting)] == [(first.pk, 1), (second.pk, 2)]
    with pytest.raises(ValidationError, match="already on this agenda"):
        services.add_referral(meeting, second.referral, user=users["coordinator"])


# ---------------------------------------------------------------- ordering


def test_items_move_up_and_down_and_stay_numbered_one_to_n(users, make_child, make_referral, make_meeting):
    meeting = make_meeting()
    a, b, c = (
        services.add_referral(meeting, make_referral(make_child(n, "Child")), user=users["coordinator"])
        for n in ("Ann", "Ben", "Cal")
    )
    services.move_item(c, "up", user=users["coordinator"])
    assert [i.pk for i in _items(meeting)] == [a.pk, c.pk, b.pk]
    a.refresh_from_db()
    services.move_item(a, "up", user=users["coordinator"])  # already first: nothing moves
    services.move_item(a, "down", user=users["coordinator"])
    assert [(i.pk, i.position) for i in _items(meeting)] == [(c.pk, 1), (a.pk, 2), (b.pk, 3)]


def test_accepting_a_proposed_item_adds_it_to_the_end_of_the_agenda(
    users, make_child, make_referral, make_screening, make_meeting
):
    meeting = make_meeting()
    on_agenda = services.add_referral(meeting, make_referral(make_child()), user=users["coordinator"])
    proposed = make_referral(make_child("Jade", "Pritchard"))
    make_screening(proposed.person, proposed)
    [item] = services.propose_agenda(meeting, user=users["coordinator"])
    services.set_item_status(item, AgendaItem.Status.ACCEPTED, user=users["coordinator"])
    assert [i.pk for i in _items(meeting)] == [on_agenda.pk, item.pk]


# ---------------------------------------------------------------- confirming


@pytest.fixture
def ready(users, make_child, make_referral, make_meeting, harm_types):
    """A meeting with one item decided to open a case, with an action."""
    meeting = make_meeting()
    referral = make_referral(make_child(), harm=[harm_types["cce"]])
    item = services.add_referral(meeting, referral, user=users["coordinator"])
    _decide(item, users, Decision.OPEN_CASE, lead=users["practitioner"])
    action = services.add_action(
        item,
        user=users["coordinator"],
        description="Arrange a return home interview",
        owner=users["school_practitioner"],
        due_date=NEXT_WEEK,
    )
    return meeting, item, action


def test_confirming_opens_the_case_sets_tasks_tells_owners_and_locks_the_meeting(users, ready, harm_types):
    meeting, item, action = ready
    result = services.confirm_meeting(meeting, user=users["coordinator"])
    item.refresh_from_db()
    action.refresh_from_db()
    case = Case.objects.get(person=item.person)
    assert result.cases == [case] and item.case == case
    assert case.lead_professional == users["practitioner"] and list(case.harm_types.all()) == [harm_types["cce"]]
    assert Involvement.objects.filter(
        person=item.person, user=users["practitioner"], kind=Involvement.Kind.LEAD_PROFESSIONAL
    ).exists()
    task = action.task
    assert (task.owner, task.owner_agency, task.due_date, task.case) == (
        users["school_practitioner"],
        users["school_practitioner"].agency,
        NEXT_WEEK,
        case,
    )
    assert item.person.full_name not in task.title + task.details
    assert Notification.objects.filter(user=users["school_practitioner"], subject="You have a new task").exists()
    assert Notification.objects.filter(
        user=users["practitioner"], subject="You are the lead professional for a new case"
    ).exists()
    assert {m.to[0] for m in mail.outbox} == {users["school_practitioner"].email, users["practitioner"].email}
    assert Referral.objects.get(pk=item.referral_id).status == Referral.Status.DECIDED
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED and meeting.confirmed_by == users["coordinator"]


def test_confirming_twice_does_nothing_more(users, ready):
    meeting, item, _ = ready
    services.confirm_meeting(meeting, user=users["coordinator"])
    again = services.confirm_meeting(meeting, user=users["coordinator"])
    assert again.already_confirmed and again.cases == [] and again.tasks == []
    assert Case.objects.count() == 1 and Task.objects.count() == 1
    assert Notification.objects.count() == 2


def test_confirming_refuses_with_the_list_of_what_is_missing_and_changes_nothing(
    users, make_child, make_referral, make_screening, make_meeting
):
    meeting = make_meeting()
    undecided = services.add_referral(meeting, make_referral(make_child()), user=users["coordinator"])
    no_lead = services.add_referral(meeting, make_referral(make_child("Jade", "Pritchard")), user=users["coordinator"])
    AgendaItem.objects.filter(pk=no_lead.pk).update(decision=Decision.OPEN_CASE)
    proposed = make_referral(make_child("Leah", "Owens"))
    make_screening(proposed.person, proposed)
    services.propose_agenda(meeting, user=users["coordinator"])
    with pytest.raises(services.MeetingIncomplete) as refused:
        services.confirm_meeting(meeting, user=users["coordinator"])
    assert refused.value.problems == [
        f"Item 1 ({undecided.person.reference}): record the meeting's decision",
        f"Item 2 ({no_lead.person.reference}): choose the lead professional for the new case",
        f"Proposed item ({proposed.person.reference}): accept it onto the agenda or remove it",
    ]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and not Case.objects.exists()


def test_a_case_decision_for_a_child_with_an_open_case_is_refused(users, ready):
    meeting, item, _ = ready
    Case.objects.create(person=item.person, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    with pytest.raises(services.MeetingIncomplete, match="already has an open case"):
        services.confirm_meeting(meeting, user=users["coordinator"])
    assert not Task.objects.exists()


def test_an_empty_agenda_cannot_be_confirmed(users, make_meeting):
    with pytest.raises(services.MeetingIncomplete, match="agenda is empty"):
        services.confirm_meeting(make_meeting(), user=users["coordinator"])


def test_a_confirmed_meeting_can_no_longer_be_changed(users, ready):
    meeting, item, action = ready
    services.confirm_meeting(meeting, user=users["coordinator"])
    item.meeting.refresh_from_db()
    with pytest.raises(MeetingLocked):
        _decide(item, users)
    with pytest.raises(MeetingLocked):
        services.add_action(
            item, user=users["coordinator"], description="More", owner=users["practitioner"], due_date=NEXT_WEEK
        )
    with pytest.raises(MeetingLocked):
        services.remove_action(MeetingAction.objects.get(pk=action.pk), user=users["coordinator"])


def test_only_a_coordinator_may_confirm(users, ready):
    meeting, _, _ = ready
    with pytest.raises(PermissionDenied):
        services.confirm_meeting(meeting, user=users["practitioner"])


def test_the_decision_names_a_lead_professional_only_when_it_opens_a_case(users, ready):
    _, item, _ = ready
    with pytest.raises(ValidationError):
        _decide(item, users, Decision.OPEN_CASE, lead=None)
    _decide(item, users, Decision.EARLY_HELP, lead=users["practitioner"])
    item.refresh_from_db()
    assert item.lead_professional is None and item.decided_by == users["coordinator"]


def test_the_chair_must_be_a_coordinator(users):
    with pytest.raises(ValidationError):
        services.schedule_meeting(
            user=users["coordinator"], starts_at=NOW + timedelta(days=1), location="Room 1", chair=users["practitioner"]
        )
