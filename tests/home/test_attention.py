"""The home page's "what needs your attention" panels for tasks, the
screening queue, overdue actions and return home interviews."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hoth.access import policy
from hoth.cases.models import MissingEpisode, ReturnInterview
from hoth.home.attention import attention_for
from hoth.people.models import Address, Involvement, Person
from hoth.referrals.models import Referral
from hoth.tasks.services import create_task

NOW = timezone.make_aware(timezone.datetime(2026, 3, 10, 12, 0))
TODAY = NOW.date()


def panels(user, now=NOW):
    return {panel.title: panel for panel in attention_for(user, now=now)}


def task(owner, title, days, by):
    return create_task(title=title, owner=owner, due_date=TODAY + timedelta(days=days), created_by=by)


def test_everyone_sees_their_overdue_and_due_this_week_tasks(users):
    for role in ("practitioner", "manager", "system_admin"):
        user = users[role]
        task(user, "Overdue thing", -1, users["coordinator"])
        task(user, "This week's thing", 6, users["coordinator"])
        task(user, "Next month's thing", 30, users["coordinator"])
        panel = panels(user)["Your tasks"]
        assert panel.summary == "1 overdue; 1 due in the next 7 days."
        assert [row[0] for row in panel.rows] == ["Overdue thing", "This week's thing"]
        assert panel.rows[0][2].startswith("Overdue")
        assert panel.link[1] == "/tasks/"


def test_a_practitioners_panel_never_counts_anothers_tasks(users):
    task(users["school_practitioner"], "Not mine", -1, users["coordinator"])
    assert panels(users["practitioner"])["Your tasks"].summary == "Nothing overdue or due in the next 7 days."


def test_coordinators_see_the_screening_queue_and_overdue_actions_everywhere(users):
    coordinator = users["coordinator"]
    child = Person.objects.create(given_names="Kai", family_name="Byrne")
    for screen_by in (NOW - timedelta(hours=2), NOW + timedelta(hours=5)):
        Referral.objects.create(
            person=child,
            status=Referral.Status.SUBMITTED,
            referrer=users["practitioner"],
            referrer_agency=users["practitioner"].agency,
            screen_by=screen_by,
        )
    Referral.objects.create(
        person=child,
        status=Referral.Status.SCREENED,
        referrer=users["practitioner"],
        referrer_agency=users["practitioner"].agency,
        screen_by=NOW - timedelta(days=3),
    )
    task(users["practitioner"], "Council overdue", -2, coordinator)
    task(users["school_practitioner"], "School overdue", -1, coordinator)
    shown = panels(coordinator)
    assert shown["Referrals waiting to be screened"].summary.startswith(
        "2 referrals waiting to be screened; 1 past the service standard"
    )
    assert shown["Overdue actions across agencies"].summary == "2 overdue actions across 2 agencies."
    assert shown["Overdue actions across agencies"].link[1] == "/tasks/overdue/"
    assert "Referrals waiting to be screened" not in panels(users["practitioner"])


def test_practitioners_see_return_interviews_due_for_children_they_work_with(users):
    practitioner = users["practitioner"]
    mine = Person.objects.create(given_names="Tyler", family_name="Okafor")
    offered = Person.objects.create(given_names="Amy", family_name="Lowe")
    not_mine = Person.objects.create(given_names="Jade", family_name="Pritchard")
    for person in (mine, offered):
        Involvement.objects.create(person=person, user=practitioner, kind=Involvement.Kind.ASSIGNED)
    returned = NOW - timedelta(hours=80)
    for person in (mine, offered, not_mine):
        MissingEpisode.objects.create(
            person=person, recorded_by=practitioner, started_at=returned - timedelta(days=1), ended_at=returned
        )
    ReturnInterview.objects.create(
        episode=offered.missing_episodes.get(), outcome="accepted", offered_at=returned + timedelta(hours=3)
    )
    MissingEpisode.objects.create(person=mine, recorded_by=practitioner, started_at=NOW - timedelta(hours=3))
    panel = panels(practitioner)["Return home interviews due"]
    assert [row[0] for row in panel.rows] == ["Tyler Okafor"]
    assert panel.rows[0][2].startswith("Overdue: was due by")
    assert panel.summary == "1 child you work with needs a return home interview offered."


def test_home_page_shows_the_new_panels(users, verified_client):
    page = verified_client(users["coordinator"]).get("/").content.decode()
    for title in ("Your tasks", "Referrals waiting to be screened", "Overdue actions across agencies"):
        assert title in page


def test_a_coordinator_is_asked_to_decide_on_a_lower_level_another_coordinator_asked_for(users, agencies):
    from hoth.accounts.models import Role
    from hoth.home.attention import attention_for
    from hoth.people.models import Person
    from hoth.screening.models import Screening, ScreeningTool
    from tests.conftest import make_user

    tool = ScreeningTool.objects.create(version="t-1", name="Test tool", definition={"domains": []}, is_current=True)
    child = Person.objects.create(given_names="Mia", family_name="Hughes")
    screener = make_user("screener@council.example", agencies["council"], Role.COORDINATOR)
    Screening.objects.create(
        person=child,
        tool=tool,
        status=Screening.Status.AWAITING_APPROVAL,
        screened_by=screener,
        screened_by_agency=agencies["council"],
    )

    titles = [panel.title for panel in attention_for(users["coordinator"])]
    assert "Lower levels to approve" in titles
    # The screener cannot approve their own, so is not asked to.
    assert "Lower levels to approve" not in [panel.title for panel in attention_for(screener)]


def test_coordinators_are_told_of_support_services_not_reviewed_for_a_year(users):
    from datetime import timedelta

    from django.utils import timezone

    from hoth.directory.models import Service
    from hoth.home.attention import attention_for

    Service.objects.create(
        name="Crewe Youth Hub",
        provider="Crewe Youth Trust",
        is_published=True,
        last_reviewed=timezone.localdate() - timedelta(days=400),
    )
    panels = {panel.title: panel for panel in attention_for(users["coordinator"])}
    assert panels["Support services to review"].summary == "1 support service not reviewed for 12 months."
    assert "Support services to review" not in {panel.title for panel in attention_for(users["practitioner"])}


def live_in(town, how_many, by):
    for n in range(how_many):
        person = Person.objects.create(
            given_names=f"Child{n}", family_name=town, date_of_birth=date(2012, 1, 1), created_by=by
        )
        Address.objects.create(person=person, line1=f"{n} High Street", town=town, postcode="CW1 1AA")


def test_managers_see_the_register_by_town_with_small_counts_suppressed(users):
    live_in("Crewe", 12, users["coordinator"])
    live_in("Nantwich", 2, users["coordinator"])
    live_in("Sandbach", 7, users["coordinator"])
    panel = panels(users["manager"])["People on the register by town"]
    # Nantwich's 2 is not named, and the total goes with it: 21 beside Crewe's 12 and Sandbach's 7 gives it away.
    assert panel.rows == [("Crewe", "", "12 people"), ("Sandbach", "", "7 people"), ("Other towns", "", "[c]")]
    assert panel.summary.startswith("[c] people by the town of their current address.")
    assert "Nantwich" not in str(panel)


def test_the_total_is_shown_when_no_count_is_small(users):
    live_in("Crewe", 12, users["coordinator"])
    live_in("Nantwich", 5, users["coordinator"])
    panel = panels(users["manager"])["People on the register by town"]
    assert panel.rows == [("Crewe", "", "12 people"), ("Nantwich", "", "5 people")]
    assert panel.summary == "17 people by the town of their current address. No names are shown."
    assert "Child" not in str(panel)


def test_only_managers_read_the_register_for_its_counts(users):
    assert "People on the register by town" not in panels(users["practitioner"])
    with pytest.raises(PermissionDenied):
        policy.for_purpose(users["practitioner"], "register.count", Person.objects.all())
