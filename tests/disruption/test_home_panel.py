"""The home page tells those who work with disruption what is about to run
out and which plans are past their review, and tells nobody else."""

from datetime import timedelta

from hoth.disruption.models import DisruptionPlan
from hoth.home.attention import attention_for
from tests.disruption.conftest import TODAY, record


def disruption_panel(user):
    return {panel.title: panel for panel in attention_for(user)}.get("Disruption")


def test_analysts_and_coordinators_see_orders_expiring_and_reviews_overdue(users, adult, place):
    record(
        users,
        adult,
        status="in_force",
        applied_on=TODAY - timedelta(days=60),
        granted_on=TODAY - timedelta(days=50),
        expires_on=TODAY + timedelta(days=10),
        plan_objective="Keep him away from the children",
        plan_next_review_on=TODAY + timedelta(days=20),
    )
    record(
        users,
        place,
        code="increased-patrols",
        status="in_force",
        granted_on=TODAY - timedelta(days=5),
        plan_objective="Make the flats safer",
        plan_next_review_on=TODAY + timedelta(days=20),
    )
    DisruptionPlan.objects.filter(subject=place).update(next_review_on=TODAY - timedelta(days=1))
    for role in ("analyst", "coordinator", "panel_chair"):
        texts = [text for text, url, _ in disruption_panel(users[role]).rows]
        assert texts == ["1 order or notice expiring in the next 28 days", "1 disruption plan past its review date"]
    panel = disruption_panel(users["analyst"])
    assert panel.rows[0][1] == "/disruption/?expiring=on" and panel.rows[1][1] == "/disruption/plans/?review_due=on"


def test_practitioners_and_managers_have_no_disruption_panel(users, adult):
    record(
        users,
        adult,
        status="in_force",
        applied_on=TODAY - timedelta(days=60),
        granted_on=TODAY - timedelta(days=50),
        expires_on=TODAY + timedelta(days=10),
    )
    for role in ("practitioner", "school_practitioner", "manager"):
        assert disruption_panel(users[role]) is None
