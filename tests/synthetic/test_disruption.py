"""The synthetic disruption histories: plans against the planted subjects,
activities whose every history the services would have allowed, the
children each protects taken from the subject's network, breaches while in
force, outcomes judged on the effect the disruption app shows, reviews at the
panels Protect held or between them, orders running out now for the demo
analyst, and the demo panel chair's next panel with a plan to review.

One tiny partnership is generated for the module (seed and day as
test_pursue.py) and rolled back at the end. Determinism is checked with the
Pursue side's snapshot (test_protect_determinism.py), and cleanup.py's order
by the same test, which empties the database between two generations.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoth.accounts.models import User
from hoth.disruption import effect as disruption_effect
from hoth.disruption import flow
from hoth.disruption.models import Breach, DisruptionActivity, DisruptionPlan, DisruptionPlanReview
from hoth.disruption.panel import item_disruption
from hoth.disruption.reminders import send_expiry_reminders
from hoth.disruption.services import BREACHABLE
from hoth.intelligence.models import Link, Subject
from hoth.panels.models import AgendaItem, Meeting, Section
from hoth.synthetic.disruption import WARNING_DAYS, assess
from hoth.synthetic.front_door import LONDON, age_on
from hoth.synthetic.generator import demo_email, generate
from hoth.synthetic.models import PlantedMember

from .test_pursue import TODAY

CHILD_ROLES = ("runner", "child", "member", "peer_of_concern")


@pytest.fixture(scope="module")
def partnership(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            generator = generate("tiny", seed=3, today=TODAY)
            yield generator
            transaction.set_rollback(True)


@pytest.fixture
def generated(partnership, db):
    return partnership


def demo_user(local_part):
    return User.objects.get(email=demo_email(local_part))


def activities():
    return (
        DisruptionActivity.objects.select_related("tactic", "subject", "plan", "officer")
        .prefetch_related("children", "breaches")
        .order_by("reference")
    )


def local_day(moment):
    return timezone.localtime(moment).date()


def reachable(activity):
    """The statuses its dates say it went through, from where an activity may start, each step one
    hoth.disruption.flow allows."""
    kind = activity.tactic.kind
    implied = [s for s, day in ((flow.APPLIED, activity.applied_on), (flow.IN_FORCE, activity.granted_on)) if day]
    if activity.status not in implied:
        implied.append(activity.status)
    for path in (implied, [flow.PLANNED] + implied):
        if (
            path[0] in flow.first_statuses(kind)
            and all(b in flow.next_statuses(kind, a) for a, b in zip(path, path[1:]))
            and path[-1] == activity.status
        ):
            return True
    return False


# ------------------------------------------------------------ what was written


def test_the_generator_counts_the_disruption_it_wrote(generated):
    counts = generated.counts
    assert counts["DisruptionPlan"] == DisruptionPlan.objects.count() > 5
    assert counts["DisruptionActivity"] == DisruptionActivity.objects.count() > counts["DisruptionPlan"]
    assert counts["Breach"] == Breach.objects.count() > 0
    reviews = DisruptionPlanReview.objects
    assert counts["DisruptionPlanReview (at a panel)"] == reviews.filter(agenda_item__isnull=False).count() > 0
    assert counts["DisruptionPlanReview (between panels)"] == reviews.filter(agenda_item__isnull=True).count() > 0
    assert generated.disruption_seconds < 30


def test_the_histories_cover_every_stage_of_an_order(generated):
    statuses = Counter(DisruptionActivity.objects.values_list("status", flat=True))
    assert statuses[flow.IN_FORCE] and statuses[flow.EXPIRED] and statuses[flow.COMPLETED]
    assert statuses[flow.PLANNED] + statuses[flow.APPLIED] > 0, "something is still to be decided"
    assert statuses[flow.REFUSED] + statuses[flow.WITHDRAWN] + statuses[flow.DISCHARGED] > 0
    kinds = set(DisruptionActivity.objects.values_list("tactic__kind", flat=True))
    assert kinds >= {flow.CIVIL_ORDER, flow.NOTICE, flow.REGULATORY, flow.NON_LEGAL}


def test_county_lines_and_exploitation_networks_meet_the_tactics_the_toolkit_gives_for_them(generated):
    roles = dict(PlantedMember.objects.values_list("subject_id", "role"))
    by_role = {}
    for subject_id, code in DisruptionActivity.objects.values_list("subject_id", "tactic__code"):
        by_role.setdefault(roles.get(subject_id), set()).add(code)
    assert "child-abduction-warning-notice" in by_role["hub"]
    assert by_role["deal_line"] == {"drug-dealing-telecommunications-restriction-order"}
    assert "closure-notice-and-order" in by_role["trap_house"]
    assert {"hotel-guest-information-notice", "guardianship-training"} <= by_role["place"]
    assert "increased-patrols" in by_role[None], "patrols at the planted hotspots"


# ------------------------------------------------------------ every history obeys the flow


def test_every_activity_went_only_where_the_flow_allows_and_its_dates_agree(generated):
    for activity in activities():
        tactic = activity.tactic
        assert tactic.applies_to(activity.subject.kind), activity.reference
        assert activity.subject_id == activity.plan.subject_id
        assert reachable(activity), (activity.reference, activity.status)
        assert not flow.date_problems(
            status=activity.status,
            has_duration=tactic.has_duration,
            applied_on=activity.applied_on,
            granted_on=activity.granted_on,
            expires_on=activity.expires_on,
            ended_on=activity.ended_on,
            today=TODAY,
        ), activity.reference
        created = local_day(activity.created_at)
        for day in (activity.applied_on, activity.granted_on, activity.ended_on):
            assert day is None or created <= day <= TODAY
        assert activity.created_at <= activity.changed_at and local_day(activity.changed_at) <= TODAY


def test_orders_past_their_expiry_were_marked_expired_by_the_reminders_and_those_running_out_were_not_yet_warned(
    generated,
):
    for activity in activities():
        if activity.status == flow.EXPIRED:
            assert activity.ended_on == activity.expires_on < TODAY
            assert activity.expiry_warned_at and activity.expired_told_at
            assert local_day(activity.expired_told_at) == activity.expires_on + timedelta(days=1)
        elif activity.status == flow.IN_FORCE:
            assert activity.expires_on is None or activity.expires_on >= TODAY, "the daily reminders ran"
            assert activity.expiry_warned_at is None and activity.expired_told_at is None
    expiring = DisruptionActivity.objects.expiring(TODAY, WARNING_DAYS)
    assert expiring.count() >= 2
    done = send_expiry_reminders(today=TODAY, days=WARNING_DAYS)
    assert sorted(a.pk for a in done.warned) == sorted(expiring.values_list("pk", flat=True))
    assert done.expired == []


def test_breaches_happen_to_orders_and_notices_while_they_are_in_force(generated):
    breaches = Breach.objects.select_related("activity__tactic")
    assert breaches.exists()
    for breach in breaches:
        activity = breach.activity
        assert activity.tactic.kind in BREACHABLE
        assert activity.granted_on <= breach.occurred_on <= min(activity.ended_on or TODAY, TODAY)
        assert breach.what and local_day(breach.recorded_at) >= breach.occurred_on
    assert breaches.filter(action="arrested").exclude(police_reference="").exists()


# ------------------------------------------------------------ plans and the children they protect


def test_every_plan_has_activities_against_its_subject_and_an_owner_who_may_work_on_it(generated):
    analyst = demo_user("analyst")
    for plan in DisruptionPlan.objects.select_related("owner", "subject").prefetch_related("activities"):
        assert plan.activities.exists() and plan.objective
        assert {a.subject_id for a in plan.activities.all()} == {plan.subject_id}
        assert plan.owner.has_role("analyst", "coordinator")
        assert local_day(plan.created_at) <= min(local_day(a.created_at) for a in plan.activities.all())
        if plan.is_open:
            assert plan.next_review_on is not None and plan.closed_on is None
        else:
            assert all(a.status in flow.ENDED for a in plan.activities.all())
            assert plan.reviews.order_by("-reviewed_on").first().decision == DisruptionPlanReview.Decision.CLOSE
    assert DisruptionPlan.objects.filter(owner=analyst).count() >= 3


def test_the_children_each_activity_protects_are_the_networks_children(generated):
    network_of = dict(PlantedMember.objects.values_list("subject_id", "network_id"))
    network_children = {}
    for network_id, person_id in PlantedMember.objects.filter(role__in=CHILD_ROLES).values_list(
        "network_id", "subject__person_id"
    ):
        network_children.setdefault(network_id, set()).add(person_id)
    linked = 0
    for activity in activities():
        children = list(activity.children.all())
        on_day = local_day(activity.created_at)
        assert all(age_on(c.date_of_birth, on_day) < 18 for c in children)
        if activity.subject_id in network_of:
            assert {c.pk for c in children} <= network_children[network_of[activity.subject_id]]
        elif children and activity.subject.kind == Subject.Kind.PERSON:
            others = {
                link.other_end(activity.subject).person_id
                for link in Link.objects.accepted().of(activity.subject).select_related("source", "target")
            }
            assert {c.pk for c in children} <= others
        linked += bool(children)
        if activity.tactic.code == "child-abduction-warning-notice":
            # The Child Abduction Act protects a child under 16; the Children Act one under 18 in care.
            [child] = children
            issued = activity.granted_on or on_day
            assert age_on(child.date_of_birth, issued) < 16 or child.care_status == "cla"
            if activity.expires_on:
                turns = age_on(child.date_of_birth, activity.expires_on + timedelta(days=1))
                assert turns in (16, 18) and age_on(child.date_of_birth, activity.expires_on) == turns - 1
    assert linked >= DisruptionActivity.objects.count() // 2


def test_outcomes_are_recorded_on_ended_activities_and_judged_on_the_effect_the_plan_page_shows(generated):
    coordinator = demo_user("coordinator")
    judged = activities().exclude(outcome="").exclude(status=flow.REFUSED)
    assert judged.exists()
    measured = 0
    for activity in judged:
        assert activity.status in flow.ENDED and activity.outcome_assessment and activity.outcome_recorded_by_id
        assert activity.ended_on <= local_day(activity.outcome_recorded_at) <= TODAY
        children = [c.pk for c in activity.children.all()]
        if not children:
            continue
        day = local_day(activity.outcome_recorded_at)
        shown = disruption_effect.effects(coordinator, {"it": (activity.granted_on, children)}, today=day)["it"]
        assert shown.measured and shown.summary.children == len(children)
        assert assess(shown.summary) == activity.outcome_assessment, activity.reference
        measured += 1
    assert measured >= 1


def test_many_activities_follow_a_missing_episode_so_their_effect_has_a_before(generated):
    coordinator = demo_user("coordinator")
    granted = [a for a in activities() if a.granted_on and a.children.all()][:12]
    assert len(granted) == 12
    shown = disruption_effect.effects(
        coordinator, {a.pk: (a.granted_on, [c.pk for c in a.children.all()]) for a in granted}, today=TODAY
    )
    assert all(effect.measured for effect in shown.values())
    assert sum(effect.summary.missing_before > 0 for effect in shown.values()) >= len(granted) // 3


# ------------------------------------------------------------ reviews


def test_reviews_at_a_panel_are_on_its_item_about_the_subject_and_taken_by_its_chair(generated):
    at_panels = DisruptionPlanReview.objects.filter(agenda_item__isnull=False).select_related(
        "agenda_item__meeting", "plan__subject"
    )
    assert at_panels.exists()
    for review in at_panels:
        item, meeting = review.agenda_item, review.agenda_item.meeting
        assert meeting.kind == Meeting.Kind.PANEL and meeting.status == Meeting.Status.CONFIRMED
        assert item.section in (Section.PERSON, Section.PLACE) and item.status == AgendaItem.Status.ACCEPTED
        assert (item.person_id, item.context_id) == (review.plan.subject.person_id, review.plan.subject.context_id)
        assert review.reviewed_on == meeting.starts_at.astimezone(LONDON).date()
        assert review.reviewed_by_id == meeting.chair_id
        assert meeting.starts_at <= review.recorded_at <= meeting.confirmed_at


def test_plans_are_reviewed_in_turn_and_some_are_past_their_review_date(generated):
    overdue = 0
    for plan in DisruptionPlan.objects.prefetch_related("reviews"):
        reviews = sorted(plan.reviews.all(), key=lambda r: r.reviewed_on)
        for review, later in zip(reviews, reviews[1:]):
            assert review.reviewed_on < later.reviewed_on and review.decision != "close"
        for review in reviews:
            assert local_day(plan.created_at) <= review.reviewed_on < TODAY and review.what_changed
            assert review.decision == "close" or review.next_review_on > review.reviewed_on
        if plan.is_open and reviews:
            assert plan.next_review_on == reviews[-1].next_review_on
        overdue += plan.is_open and plan.next_review_on < TODAY
    assert overdue >= 1


def test_the_demo_analyst_owns_plans_with_orders_expiring_in_the_next_four_weeks_and_one_overdue(generated):
    analyst = demo_user("analyst")
    expiring = DisruptionActivity.objects.visible_to(analyst).expiring(TODAY, WARNING_DAYS).filter(plan__owner=analyst)
    assert expiring.count() >= 2
    assert DisruptionPlan.objects.filter(owner=analyst, status="open", next_review_on__lt=TODAY).exists()


def test_the_demo_panel_chairs_next_panel_reviews_a_person_of_concerns_plan(generated):
    chair = demo_user("panel-chair")
    meeting = Meeting.objects.get(kind=Meeting.Kind.PANEL, status=Meeting.Status.PLANNED)
    assert meeting.chair == chair
    day = meeting.starts_at.astimezone(LONDON).date()
    items = meeting.items.filter(section=Section.PERSON, status=AgendaItem.Status.ACCEPTED)
    due = [
        item
        for item in items
        if DisruptionPlan.objects.filter(subject__person=item.person, status="open", next_review_on=day).exists()
    ]
    assert due
    shown = item_disruption(chair, due[0])
    assert shown.can_review and shown.shown.plan.next_review_on == day
    # The agenda is still numbered 1..n in the panel's section order.
    rows = list(meeting.items.order_by("position").values_list("position", "section", "status"))
    assert [p for p, _, _ in rows] == list(range(1, len(rows) + 1))
    accepted = [s for _, s, status in rows if status == AgendaItem.Status.ACCEPTED]
    assert accepted == sorted(accepted, key=list(Section.values).index)


# ------------------------------------------------------------ the pages meet the data


def test_the_demo_analysts_disruption_pages_show_the_histories(generated, client):
    analyst = demo_user("analyst")
    device = TOTPDevice.objects.create(user=analyst, name="Authenticator app", confirmed=True)
    client.force_login(analyst)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    # The first of each list, as the lists order them.
    activity = DisruptionActivity.objects.order_by("-changed_at", "-pk").first()
    plan = DisruptionPlan.objects.order_by(F("next_review_on").asc(nulls_last=True), "pk").first()
    pages = {
        reverse("disruption:list"): activity.reference,
        reverse("disruption:plans"): plan.subject.reference,
        reverse("disruption:plan", args=[plan.subject.reference]): plan.activities.first().tactic.name,
        reverse("disruption:activity", args=[activity.reference]): activity.tactic.name,
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url
