"""The effect beside an activity and its plan, as each viewer may see it: a
child is named, with their own figures, only to someone who reads their
casework; every other linked child counts only in the totals, and not even
there when so few that the totals would give them away. And the daily
expiry reminders: each told once, however often the command runs."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from hoth.audit.models import AuditEvent
from hoth.disruption import flow, services
from hoth.disruption.effect import effects
from hoth.disruption.reminders import send_expiry_reminders
from hoth.disruption.selectors import plan_view
from hoth.notifications.models import Notification

from .conftest import TODAY, make_child, record, screen, went_missing

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
GRANTED = TODAY - 30 * DAY


@pytest.fixture
def order(users, adult, children):
    """A Sexual Risk Order granted 30 days ago, protecting all three children:
    Tyler's level fell from High to Medium and he went missing twice before
    and once after; Amber and Callum stayed at Medium."""
    tyler, amber, callum = children
    screen(tyler, "high", GRANTED - 20 * DAY, users)
    screen(tyler, "medium", TODAY - 5 * DAY, users)
    for child in (amber, callum):
        screen(child, "medium", GRANTED - 50 * DAY, users)
    went_missing(tyler, GRANTED - 10 * DAY, users)
    went_missing(tyler, GRANTED - 40 * DAY, users)
    went_missing(tyler, GRANTED + 3 * DAY, users)
    went_missing(amber, GRANTED - 100 * DAY, users)  # outside the 90 days before
    return record(
        users,
        adult,
        status="in_force",
        applied_on=GRANTED - 10 * DAY,
        granted_on=GRANTED,
        children=[tyler, amber, callum],
    )


def effect_for(user, activity):
    return effects(user, {"it": (activity.granted_on, [c.pk for c in activity.children.all()])}, today=TODAY)["it"]


def test_a_coordinator_sees_every_child_named_with_their_figures(users, order, children):
    tyler, amber, callum = children
    effect = effect_for(users["coordinator"], order)
    assert [row.person for row in effect.named] == [amber, tyler, callum]
    mine = {row.person: row.effect for row in effect.named}
    assert (mine[tyler].level_before, mine[tyler].level_now, mine[tyler].change) == ("high", "medium", "lower")
    assert (mine[tyler].missing_before, mine[tyler].missing_after) == (2, 1)
    summary = effect.summary
    assert (summary.children, summary.lower, summary.same, summary.missing_before, summary.missing_after) == (
        3,
        1,
        2,
        2,
        1,
    )
    assert summary.after_days == 31 and not summary.after_complete and effect.others == 0


def test_a_panel_chair_working_with_one_child_sees_only_that_child_named(users, order, children):
    from hoth.people.models import Involvement

    tyler, _, _ = children
    Involvement.objects.create(person=tyler, user=users["panel_chair"], kind=Involvement.Kind.ASSIGNED)
    effect = effect_for(users["panel_chair"], order)
    assert [row.person for row in effect.named] == [tyler]
    # Amber and Callum's casework is not the chair's: counted as linked, not in the figures.
    assert effect.others == 2
    assert effect.summary.children == 1 and effect.summary.missing_before == 2


def test_an_analyst_reads_no_casework_so_sees_no_childs_figures_not_even_in_totals(users, order):
    effect = effect_for(users["analyst"], order)
    assert effect.named == [] and effect.others == 3 and effect.summary.children == 0
    assert effect.people_shown == []


def test_totals_cannot_give_a_child_away_by_difference(users, adult, children):
    """Two activities whose children differ by one: if totals counted children out of
    sight, subtracting one from the other would give that child's episodes."""
    tyler, amber, callum = children
    three = record(
        users,
        adult,
        code="child-abduction-warning-notice",
        status="in_force",
        granted_on=GRANTED,
        children=[tyler, amber],
    )
    four = record(
        users,
        adult,
        code="sexual-risk-order",
        status="in_force",
        applied_on=GRANTED - DAY,
        granted_on=GRANTED,
        expires_on=GRANTED + 700 * DAY,
        children=[tyler, amber, callum],
    )
    for activity in (three, four):
        summary = effect_for(users["analyst"], activity).summary
        assert (summary.children, summary.missing_before, summary.missing_after) == (0, 0, 0)


def test_nothing_is_measured_before_it_takes_effect(users, adult, children):
    planned = record(users, adult, children=list(children))
    effect = effect_for(users["coordinator"], planned)
    assert effect.start is None and effect.summary is None and not effect.measured


def test_the_plan_is_measured_from_its_first_activity_over_all_its_children(users, adult, order, children):
    newer = make_child("Mia", "Shaw", involved=[users["practitioner"]])
    from hoth.intelligence import services as intelligence

    intelligence.subject_for_person(users["coordinator"], newer)
    record(
        users,
        adult,
        code="child-abduction-warning-notice",
        status="in_force",
        granted_on=TODAY - 2 * DAY,
        children=[newer],
    )
    shown = plan_view(users["coordinator"], adult, today=TODAY)
    assert shown.effect.start == GRANTED and shown.effect.children == 4
    assert len(shown.activities) == 2


def test_the_school_practitioner_sees_no_disruption_at_all(users, order):
    from hoth.disruption.models import Breach, DisruptionActivity, DisruptionPlan, DisruptionPlanReview

    teacher = users["school_practitioner"]
    for model in (DisruptionPlan, DisruptionActivity, Breach, DisruptionPlanReview):
        assert not model.objects.visible_to(teacher).exists()
    assert DisruptionActivity.objects.visible_to(users["analyst"]).get() == order


# ---------------------------------------------------------------- expiry reminders


@pytest.fixture
def expiring(users, place):
    """A closure order ending in 20 days; its officer is the coordinator, the plan's owner the analyst."""
    return record(
        users,
        place,
        code="child-sex-offence-closure",
        status="in_force",
        granted_on=TODAY - 60 * DAY,
        expires_on=TODAY + 20 * DAY,
        officer=users["coordinator"],
    )


def test_the_officer_and_plan_owner_are_told_once_when_an_order_nears_expiry(users, expiring):
    done = send_expiry_reminders(today=TODAY, days=28)
    assert done.warned == [expiring] and done.expired == []
    told = Notification.objects.all()
    assert {n.user for n in told} == {users["coordinator"], users["analyst"]}
    assert all(expiring.reference in n.body and "Mill Street" not in n.body for n in told)
    assert send_expiry_reminders(today=TODAY, days=28).warned == []
    assert send_expiry_reminders(today=TODAY + 5 * DAY, days=28).warned == []
    assert Notification.objects.count() == 2


def test_an_order_further_off_is_not_yet_warned_about(users, expiring):
    assert send_expiry_reminders(today=TODAY, days=14).warned == []
    assert not Notification.objects.exists()


def test_once_past_its_expiry_the_order_is_marked_expired_and_they_are_told_once_more(users, expiring):
    send_expiry_reminders(today=TODAY, days=28)
    done = send_expiry_reminders(today=TODAY + 21 * DAY, days=28)
    expiring.refresh_from_db()
    assert done.expired == [expiring] and expiring.status == flow.EXPIRED
    assert expiring.ended_on == TODAY + 20 * DAY
    assert Notification.objects.filter(subject__contains="has expired").count() == 2
    assert send_expiry_reminders(today=TODAY + 22 * DAY, days=28).expired == []
    assert Notification.objects.count() == 4
    event = AuditEvent.objects.filter(actor="remind_disruption_expiry").latest("id")
    assert event.detail["changed"] == {"status": ["in_force", "expired"]}


def test_extending_the_order_makes_the_reminders_due_again(users, expiring):
    send_expiry_reminders(today=TODAY, days=28)
    services.change_status(users["analyst"], expiring, expires_on=TODAY + 60 * DAY)
    assert send_expiry_reminders(today=TODAY, days=28).warned == []
    assert send_expiry_reminders(today=TODAY + 40 * DAY, days=28).warned == [expiring]


def test_the_same_person_as_officer_and_owner_is_told_once(users, adult):
    record(
        users,
        adult,
        code="drug-dealing-telecommunications-restriction-order",
        status="in_force",
        granted_on=TODAY - 9 * DAY,
        expires_on=TODAY + 3 * DAY,
    )
    send_expiry_reminders(today=TODAY, days=28)
    assert list(Notification.objects.values_list("user", flat=True)) == [users["analyst"].pk]


def test_the_daily_command_runs_twice_and_tells_no_one_twice(users, expiring, settings, capsys):
    settings.HOTH_DISRUPTION_EXPIRY_WARNING_DAYS = 28
    call_command("remind_disruption_expiry")
    call_command("remind_disruption_expiry")
    output = capsys.readouterr().out
    assert "1 order expiring within 28 days" in output and "0 orders expiring within 28 days" in output
    assert Notification.objects.count() == 2
