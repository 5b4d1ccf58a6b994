"""The coordinators' screening queue: what waits, in what order, against the
clock, and the flags that say which child to look at first."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hoth.audit.models import AuditEvent
from hoth.cases.models import Case, MissingEpisode
from hoth.contexts.models import Context
from hoth.panels.queue import Filters, flagged, screening_clock, waiting_referrals
from hoth.referrals.models import NamedAssociate, Referral

NOW = timezone.now()


def _queue(user, **filters):
    today = timezone.localdate()
    ids = list(waiting_referrals(user, today=today, filters=Filters(**filters)).values_list("pk", flat=True))
    return flagged(user, ids, now=timezone.now(), today=today)


def _get(client, **params):
    return client.get("/screening-queue/", params)


# ---------------------------------------------------------------- the clock


@pytest.mark.parametrize(
    "left, text, overdue",
    [
        (timedelta(hours=3, minutes=10), "Due in 3 hours", False),
        (timedelta(minutes=1), "Due in 1 minute", False),
        (timedelta(days=2, hours=1), "Due in 2 days", False),
        (timedelta(days=-1, hours=-2), "Overdue by 1 day", True),
        (timedelta(minutes=-45), "Overdue by 45 minutes", True),
    ],
)
def test_clock_says_in_words_how_long_is_left_against_the_service_standard(left, text, overdue):
    clock = screening_clock(NOW + left, NOW)
    assert (clock.text, clock.overdue) == (text, overdue)


def test_overdue_is_red_and_nearly_due_is_orange_but_the_words_say_so_too():
    assert screening_clock(NOW - timedelta(hours=1), NOW).colour == "red"
    assert screening_clock(NOW + timedelta(hours=1), NOW).colour == "orange"
    assert screening_clock(NOW + timedelta(hours=5), NOW).colour == "blue"
    assert screening_clock(None, NOW) is None


# ---------------------------------------------------------------- what waits, in what order


def test_queue_holds_undecided_submitted_referrals_urgent_first_then_soonest_due(users, make_child, make_referral):
    child = make_child()
    later = make_referral(child, screen_by=NOW + timedelta(hours=20))
    sooner = make_referral(child, screen_by=NOW + timedelta(hours=2))
    urgent = make_referral(child, urgent=True, screen_by=NOW + timedelta(hours=6))
    screened = make_referral(child, status=Referral.Status.SCREENED, screen_by=NOW + timedelta(hours=30))
    make_referral(child, status=Referral.Status.DECIDED)
    make_referral(child, status=Referral.Status.DRAFT)
    assert _queue(users["coordinator"]) == [urgent, sooner, later, screened]


def test_queue_page_shows_the_clock_as_a_tag_and_marks_urgent_in_words(
    users, verified_client, make_child, make_referral
):
    make_referral(make_child(), urgent=True, screen_by=timezone.now() - timedelta(days=1, hours=1))
    page = _get(verified_client(users["coordinator"])).content.decode()
    assert 'govuk-tag govuk-tag--red">Overdue by 1 day</strong>' in page
    assert ">Urgent</strong>" in page


@pytest.mark.parametrize("role", ["practitioner", "school_practitioner", "analyst", "panel_chair", "manager"])
def test_only_coordinators_have_the_screening_queue(users, verified_client, role):
    assert _get(verified_client(users[role])).status_code == 403
    assert not AuditEvent.objects.filter(action="list").exists()


# ---------------------------------------------------------------- filters


def test_filter_by_harm_type(users, make_child, make_referral, harm_types):
    cce = make_referral(make_child(), harm=[harm_types["cce"], harm_types["cse"]])
    make_referral(make_child("Jade", "Pritchard"), harm=[harm_types["cse"]])
    assert _queue(users["coordinator"], harm_type="cce") == [cce]


def test_filter_by_town_of_the_child_or_of_the_context(users, make_child, make_referral):
    in_crewe = make_referral(make_child(town="Crewe"))
    make_referral(make_child("Jade", "Pritchard", town="Macclesfield"))
    place = Context.objects.create(kind=Context.Kind.PLACE, name="Crewe bus station", town="Crewe")
    about_place = make_referral(context=place)
    assert set(_queue(users["coordinator"], town="crewe")) == {in_crewe, about_place}


def test_filter_by_level_of_the_latest_screening(users, make_child, make_referral, make_screening):
    high = make_referral(make_child())
    make_screening(high.person, high, level="medium", completed_at=NOW - timedelta(hours=3))
    make_screening(high.person, high, level="high", completed_at=NOW - timedelta(hours=1))
    unscreened = make_referral(make_child("Jade", "Pritchard"))
    assert _queue(users["coordinator"], level="high") == [high]
    assert _queue(users["coordinator"], level="medium") == []
    assert _queue(users["coordinator"], level="unscreened") == [unscreened]


def test_filter_by_referring_agency(users, agencies, make_child, make_referral):
    police = make_referral(make_child(), agency="police", referrer="analyst")
    make_referral(make_child("Jade", "Pritchard"))
    assert _queue(users["coordinator"], agency=agencies["police"].pk) == [police]


def test_filters_are_a_plain_get_form_that_works_without_javascript(
    users, verified_client, make_child, make_referral, harm_types
):
    make_referral(make_child(), harm=[harm_types["cce"]])
    make_referral(make_child("Jade", "Pritchard"), harm=[harm_types["cse"]])
    response = _get(verified_client(users["coordinator"]), harm_type="cse", town="", level="", agency="")
    page = response.content.decode()
    assert '<form method="get"' in page
    assert "Jade Pritchard" in page and "Kayleigh Brennan" not in page
    assert "1 referral matches the filters" in page


# ---------------------------------------------------------------- flags


def test_repeat_referral_flag_looks_back_twelve_months_from_this_referral(users, make_child, make_referral):
    child = make_child()
    make_referral(child, status=Referral.Status.DECIDED, submitted_at=NOW - timedelta(days=100))
    repeat = make_referral(child)
    once = make_child("Jade", "Pritchard")
    make_referral(once, status=Referral.Status.DECIDED, submitted_at=NOW - timedelta(days=400))
    first = make_referral(once)
    flags = {r.pk: r.is_repeat for r in _queue(users["coordinator"])}
    assert flags == {repeat.pk: True, first.pk: False}


def test_open_case_flag(users, make_child, make_referral):
    with_case = make_child()
    Case.objects.create(person=with_case, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    closed = make_child("Jade", "Pritchard")
    Case.objects.create(
        person=closed,
        lead_professional=users["practitioner"],
        opened_by=users["coordinator"],
        status=Case.Status.CLOSED,
    )
    a, b = make_referral(with_case), make_referral(closed)
    flags = {r.pk: r.has_open_case for r in _queue(users["coordinator"])}
    assert flags == {a.pk: True, b.pk: False}


def _closed_case(users, child, days_ago):
    return Case.objects.create(
        person=child,
        lead_professional=users["practitioner"],
        opened_by=users["coordinator"],
        status=Case.Status.CLOSED,
        closed_at=NOW - timedelta(days=days_ago),
    )


def test_repeat_harm_flag_is_a_case_closed_within_twelve_months_before_the_referral(users, make_child, make_referral):
    eleven_months = make_child()
    _closed_case(users, eleven_months, days_ago=335)
    thirteen_months = make_child("Jade", "Pritchard")
    _closed_case(users, thirteen_months, days_ago=395)
    open_now = make_child("Leah", "Owens")
    Case.objects.create(person=open_now, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    # Closed after the referral came in: harm had not come back when it was made.
    closed_later = make_child("Tom", "Hill")
    _closed_case(users, closed_later, days_ago=1)
    a, b, c = make_referral(eleven_months), make_referral(thirteen_months), make_referral(open_now)
    d = make_referral(closed_later, submitted_at=NOW - timedelta(days=3))
    flags = {r.pk: r.repeat_harm for r in _queue(users["coordinator"])}
    assert flags == {a.pk: True, b.pk: False, c.pk: False, d.pk: False}


def test_missing_episodes_in_the_last_ninety_days_are_counted(users, make_child, make_referral):
    child = make_child()
    for days in (3, 40, 120):
        MissingEpisode.objects.create(
            person=child, started_at=NOW - timedelta(days=days), recorded_by=users["practitioner"]
        )
    referral = make_referral(child)
    quiet = make_referral(make_child("Jade", "Pritchard"))
    counts = {r.pk: r.missing_recently for r in _queue(users["coordinator"])}
    assert counts == {referral.pk: 2, quiet.pk: 0}


def test_known_associates_from_named_associates_or_being_named_elsewhere(users, make_child, make_referral):
    with_named = make_child()
    named_elsewhere = make_child("Jade", "Pritchard")
    nobody = make_child("Leah", "Owens")
    a = make_referral(with_named)
    NamedAssociate.objects.create(referral=a, kind=NamedAssociate.Kind.PERSON, name="Older male known as 'T'")
    other = make_referral(make_child("Tom", "Hill"), status=Referral.Status.DECIDED)
    NamedAssociate.objects.create(referral=other, kind=NamedAssociate.Kind.PERSON, name="Jade", person=named_elsewhere)
    b, c = make_referral(named_elsewhere), make_referral(nobody)
    flags = {r.pk: r.has_associates for r in _queue(users["coordinator"])}
    assert flags == {a.pk: True, b.pk: True, c.pk: False}


def test_flags_are_shown_as_words(users, verified_client, make_child, make_referral):
    child = make_child()
    Case.objects.create(person=child, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    MissingEpisode.objects.create(person=child, started_at=NOW - timedelta(days=5), recorded_by=users["practitioner"])
    make_referral(child, status=Referral.Status.DECIDED, submitted_at=NOW - timedelta(days=30))
    make_referral(child)
    earlier = make_child("Jade", "Pritchard")
    _closed_case(users, earlier, days_ago=200)
    make_referral(earlier)
    page = _get(verified_client(users["coordinator"])).content.decode()
    for words in (
        "Repeat referral",
        "Open case",
        "Missing 1 time in 90 days",
        "Repeat harm: a case closed within 12 months",
    ):
        assert words in page
    assert page.count("Repeat harm: a case closed within 12 months") == 1


# ---------------------------------------------------------------- cost and audit


def _fill(n, make_child, make_referral, harm_types, users):
    for i in range(n):
        child = make_child(f"Child{i}", "Test")
        make_referral(child, harm=[harm_types["cce"]], urgent=i % 3 == 0)
        MissingEpisode.objects.create(
            person=child, started_at=NOW - timedelta(days=2), recorded_by=users["practitioner"]
        )
        if i % 4 == 0:
            _closed_case(users, child, days_ago=30)


def test_queue_costs_the_same_number_of_queries_for_five_rows_or_fifty(
    users, verified_client, make_child, make_referral, harm_types, django_assert_max_num_queries
):
    client = verified_client(users["coordinator"])
    _fill(5, make_child, make_referral, harm_types, users)
    _get(client)  # warm the session and the user's roles
    with CaptureQueriesContext(connection) as five:
        assert _get(client).status_code == 200
    _fill(45, make_child, make_referral, harm_types, users)
    with CaptureQueriesContext(connection) as fifty:
        response = _get(client)
    assert response.content.decode().count('<tr class="govuk-table__row">') == 51
    assert len(fifty) == len(five)
    with django_assert_max_num_queries(25):
        _get(client)


def test_the_list_is_audited_once_with_the_children_shown(users, verified_client, make_child, make_referral):
    shown = make_referral(make_child())
    about_place = make_referral(context=Context.objects.create(kind=Context.Kind.PLACE, name="Park", town="Crewe"))
    _get(verified_client(users["coordinator"]))
    [event] = AuditEvent.objects.filter(action="list")
    assert event.detail["person_ids"] == [shown.person_id]
    assert sorted(event.detail["ids"]) == sorted([shown.pk, about_place.pk])
