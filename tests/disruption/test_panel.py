"""Disruption at the Child Exploitation Operational Panel: a person or place
of concern's item shows their plan, activities and effect; the chair records
the plan's review there, and the minutes carry it; once the panel is
confirmed its items take no more reviews."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hoth.contexts.models import Context
from hoth.disruption.models import DisruptionPlanReview
from hoth.intelligence.models import Subject
from hoth.panels.models import AgendaItem, Meeting, Section

from .conftest import TODAY, record, screen

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def panel(users, adult, place):
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.PANEL, starts_at=timezone.now(), chair=users["panel_chair"], created_by=users["panel_chair"]
    )
    person = AgendaItem.objects.create(meeting=meeting, position=1, section=Section.PERSON, person=adult.person)
    where = AgendaItem.objects.create(meeting=meeting, position=2, section=Section.PLACE, context=place.context)
    return meeting, person, where


@pytest.fixture
def order(users, adult, children):
    for child in children:
        screen(child, "high", TODAY - 60 * DAY, users)
    return record(
        users,
        adult,
        status="in_force",
        applied_on=TODAY - 40 * DAY,
        granted_on=TODAY - 30 * DAY,
        children=list(children),
    )


def item_url(item):
    return f"/meetings/{item.meeting_id}/items/{item.pk}/"


def test_the_chair_sees_the_persons_plan_and_reviews_it_at_the_panel(users, verified_client, panel, order, adult):
    meeting, item, _ = panel
    chair = verified_client(users["panel_chair"])
    page = text(chair.get(item_url(item)))
    assert "Disruption plan" in page and "Sexual Risk Order" in page and "Granted, in force" in page
    assert "Stop him contacting the children linked to him" in page
    assert "3 linked children whose records you may not read are not in the figures" in page
    review_url = f"/disruption/{adult.reference}/review/?item={item.pk}"
    assert review_url in page
    form = text(chair.get(review_url))
    assert f'name="item" value="{item.pk}"' in form and "item 1" in form
    response = chair.post(
        f"/disruption/{adult.reference}/review/",
        {
            "item": item.pk,
            **date_fields("reviewed_on", TODAY),
            "what_changed": "Granted; one breach since",
            "decision": "continue",
            **date_fields("next_review_on", TODAY + 28 * DAY),
        },
    )
    assert response.status_code == 302 and response["Location"] == item_url(item)
    review = DisruptionPlanReview.objects.get()
    assert review.agenda_item == item and review.reviewed_by == users["panel_chair"]
    assert "At the panel, item 1" in text(chair.get(item_url(item)))

    minutes = text(chair.get(f"/meetings/{meeting.pk}/minutes/"))
    assert "Disruption plan review" in minutes and "Granted; one breach since" in minutes
    from hoth.panels.minutes import minutes_html

    assert "Granted; one breach since" in minutes_html(meeting, users["panel_chair"])


def test_a_confirmed_panel_takes_no_more_reviews(users, verified_client, panel, order, adult):
    meeting, item, _ = panel
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CONFIRMED)
    chair = verified_client(users["panel_chair"])
    assert "Review the disruption plan" not in text(chair.get(item_url(item)))
    page = text(
        chair.post(
            f"/disruption/{adult.reference}/review/",
            {
                "item": item.pk,
                **date_fields("reviewed_on", TODAY),
                "what_changed": "Late",
                "decision": "continue",
                **date_fields("next_review_on", TODAY + 28 * DAY),
            },
        )
    )
    assert "This panel has been confirmed" in page
    assert not DisruptionPlanReview.objects.exists()


def test_a_review_cannot_be_taken_at_another_subjects_item(users, verified_client, panel, order, adult):
    _, _, place_item = panel
    page = text(
        verified_client(users["panel_chair"]).post(
            f"/disruption/{adult.reference}/review/",
            {
                "item": place_item.pk,
                **date_fields("reviewed_on", TODAY),
                "what_changed": "x",
                "decision": "continue",
                **date_fields("next_review_on", TODAY + 28 * DAY),
            },
        )
    )
    assert "about someone or somewhere else" in page
    assert not DisruptionPlanReview.objects.exists()


def test_a_place_not_yet_a_subject_can_have_disruption_recorded_from_its_item(users, verified_client, panel):
    meeting, _, _ = panel
    station = Context.objects.create(
        kind=Context.Kind.PLACE,
        name="Crewe bus station",
        place_type="station",
        town="Crewe",
        created_by=users["analyst"],
    )
    item = AgendaItem.objects.create(meeting=meeting, position=3, section=Section.PLACE, context=station)
    coordinator = verified_client(users["coordinator"])
    page = text(coordinator.get(item_url(item)))
    assert "No disruption has been recorded against them" in page
    assert f'action="/disruption/{station.reference}/start/"' in page
    response = coordinator.post(f"/disruption/{station.reference}/start/")
    subject = Subject.objects.get(context=station)
    assert response.status_code == 302 and response["Location"] == f"/disruption/{subject.reference}/new/"
    # The chair may look, not record.
    assert "/start/" not in text(verified_client(users["panel_chair"]).get(item_url(item)))


def test_a_childs_item_shows_no_disruption(users, verified_client, panel, children):
    meeting, _, _ = panel
    tyler = children[0]
    item = AgendaItem.objects.create(meeting=meeting, position=4, section=Section.HIGH, person=tyler)
    assert "Disruption plan" not in text(verified_client(users["coordinator"]).get(item_url(item)))
