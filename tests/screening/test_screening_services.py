"""Screening services: what is stored when a screening is completed, what is
refused, who may lower a level, and which tool version scores it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hoth.audit.models import AuditEvent
from hoth.cases.models import MissingEpisode, ReturnInterview
from hoth.notifications.models import Notification
from hoth.people.models import Person
from hoth.referrals.models import Referral
from hoth.screening import services
from hoth.screening.models import Screening, ScreeningAnswer
from tests.screening.conftest import make_tool, years_ago

PRESENT = ScreeningAnswer.State.PRESENT
NOT_PRESENT = ScreeningAnswer.State.NOT_PRESENT
UNKNOWN = ScreeningAnswer.State.UNKNOWN


def present(code, when="current", evidence="Seen getting into a car with an older man", source="seen"):
    return services.AnswerData(indicator=code, state=PRESENT, when=when, evidence=evidence, source=source)


def state(code, value):
    return services.AnswerData(indicator=code, state=value)


@pytest.fixture
def coordinator(users):
    return users["coordinator"]


@pytest.fixture
def started(tool, referral, coordinator):
    screening, _ = services.start_screening(user=coordinator, referral=referral)
    return screening


def answer_required(screening, user, disclosure=NOT_PRESENT):
    services.save_answers(
        screening, [present("missing_repeat"), state("disclosure_exploitation", disclosure)], user=user
    )


def test_completing_stores_the_score_the_level_the_explanation_and_marks_the_referral_screened(
    started, coordinator, referral
):
    services.save_answers(
        started,
        [present("missing_repeat"), present("assoc_controlling_adult"), state("disclosure_exploitation", NOT_PRESENT)],
        user=coordinator,
    )
    screening = services.complete_screening(started, user=coordinator)

    screening.refresh_from_db()
    assert screening.status == Screening.Status.COMPLETE
    assert screening.score == 15
    assert screening.scored_level == "medium"
    assert screening.level == "medium"
    assert screening.child_age == 15
    assert screening.completed_at is not None
    assert screening.explanation["deciding"].startswith("Medium because the score 15")
    assert [c["indicator"] for c in screening.explanation["counted"]] == ["missing_repeat", "assoc_controlling_adult"]
    assert screening.explanation["tool_version"] == "test.1"
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SCREENED
    assert referral.screened_at == screening.completed_at


def test_a_required_indicator_left_unanswered_is_refused_by_name_and_nothing_changes(started, coordinator, referral):
    services.save_answers(started, [present("missing_repeat")], user=coordinator)
    events = AuditEvent.objects.count()

    with pytest.raises(services.ScreeningIncomplete) as refused:
        services.complete_screening(started, user=coordinator)

    assert [code for code, _ in refused.value.problems] == ["disclosure_exploitation"]
    assert "The child has disclosed exploitation" in refused.value.messages[0]
    assert "Disclosure" in refused.value.messages[0]
    started.refresh_from_db()
    assert started.status == Screening.Status.DRAFT
    assert started.level == "" and started.score is None and started.explanation == {}
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SUBMITTED
    assert AuditEvent.objects.count() == events


def test_not_known_is_an_answer_for_a_required_indicator(started, coordinator):
    services.save_answers(
        started, [state("missing_repeat", UNKNOWN), state("disclosure_exploitation", UNKNOWN)], user=coordinator
    )
    screening = services.complete_screening(started, user=coordinator)
    assert screening.level == "none"


def test_a_disclosure_is_high_whatever_the_score(started, coordinator):
    answer_required(started, coordinator, disclosure=PRESENT)
    services.save_answers(started, [present("disclosure_exploitation")], user=coordinator)
    screening = services.complete_screening(started, user=coordinator)
    assert screening.score == 17
    assert screening.level == "high"
    assert [r["code"] for r in screening.explanation["rules"]] == ["disclosure_is_high"]


def test_the_rules_are_told_the_childs_age_and_learning_disability(tool, users):
    young = Person.objects.create(
        given_names="Ava", family_name="Lloyd", date_of_birth=years_ago(15), has_learning_disability=True
    )
    screening, _ = services.start_screening(user=users["coordinator"], person=young)
    services.save_answers(
        screening,
        [present("missing_repeat", when="earlier"), state("disclosure_exploitation", NOT_PRESENT)],
        user=users["coordinator"],
    )
    screening = services.complete_screening(screening, user=users["coordinator"])
    # 3.5 points alone is Low; a significant indicator for a child with a learning disability is at least Medium.
    assert screening.explanation["scored_level"] == "low"
    assert screening.level == "medium"
    assert screening.learning_disability is True
    assert "learning disability" in screening.explanation["deciding"]


def test_raising_the_level_by_judgement_stands_at_once(started, coordinator):
    answer_required(started, coordinator)
    services.record_judgement(started, user=coordinator, level="high", reason="Seen with known gang members")
    screening = services.complete_screening(started, user=coordinator)
    assert screening.status == Screening.Status.COMPLETE
    assert screening.scored_level == "low"
    assert screening.level == "high"
    assert screening.approved_by is None


def test_a_judgement_needs_a_reason(started, coordinator):
    with pytest.raises(ValidationError, match="Give the reason"):
        services.record_judgement(started, user=coordinator, level="high", reason="  ")
    started.refresh_from_db()
    assert started.judgement_level == ""


def test_lowering_the_level_waits_for_another_coordinator_and_the_rules_level_stands_meanwhile(
    started, coordinator, second_coordinator, referral
):
    services.save_answers(
        started,
        [present("missing_repeat"), present("assoc_controlling_adult"), state("disclosure_exploitation", NOT_PRESENT)],
        user=coordinator,
    )
    services.record_judgement(started, user=coordinator, level="low", reason="Older person is her cousin")
    screening = services.complete_screening(started, user=coordinator)

    assert screening.status == Screening.Status.AWAITING_APPROVAL
    assert screening.level == "medium"
    assert screening.completed_at is None
    # Every other coordinator is asked; the screener is not.
    asked = Notification.objects.filter(subject="A lower screening level needs approval")
    assert list(asked.values_list("user", flat=True)) == [second_coordinator.pk]
    assert asked.get().url == f"/screening/{screening.pk}/approve/"
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SUBMITTED

    screening = services.approve_lowering(screening, user=second_coordinator)
    assert screening.status == Screening.Status.COMPLETE
    assert screening.level == "low"
    assert screening.approved_by == second_coordinator
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SCREENED
    note = Notification.objects.get(user=coordinator)
    assert note.subject == "A lower screening level was approved"
    assert note.url == f"/screening/{screening.pk}/"


def test_the_screener_cannot_approve_their_own_lower_level(started, coordinator):
    answer_required(started, coordinator)
    services.record_judgement(started, user=coordinator, level="none", reason="Nothing current")
    screening = services.complete_screening(started, user=coordinator)

    with pytest.raises(PermissionDenied):
        services.approve_lowering(screening, user=coordinator)
    screening.refresh_from_db()
    assert screening.status == Screening.Status.AWAITING_APPROVAL
    assert screening.level == "low"


def test_a_practitioner_cannot_approve_a_lower_level(started, coordinator, users):
    answer_required(started, coordinator)
    services.record_judgement(started, user=coordinator, level="none", reason="Nothing current")
    screening = services.complete_screening(started, user=coordinator)
    with pytest.raises(PermissionDenied):
        services.approve_lowering(screening, user=users["practitioner"])


def test_a_refused_lowering_keeps_the_rules_level_and_tells_the_screener(started, coordinator, second_coordinator):
    answer_required(started, coordinator)
    services.record_judgement(started, user=coordinator, level="none", reason="Nothing current")
    screening = services.complete_screening(started, user=coordinator)

    with pytest.raises(ValidationError):
        services.refuse_lowering(screening, user=second_coordinator, reason="")
    screening = services.refuse_lowering(screening, user=second_coordinator, reason="Repeat missing is current")

    assert screening.status == Screening.Status.COMPLETE
    assert screening.level == "low"
    assert screening.lowering_refused_by == second_coordinator
    assert screening.lowering_refusal_reason == "Repeat missing is current"
    assert "refused" in Notification.objects.get(user=coordinator).subject


def test_answers_are_prefilled_from_the_most_recent_return_home_interview(tool, referral, users, child):
    now = timezone.now()
    for days_ago, found in (
        (40, ["assoc_unknown_adults"]),
        (5, ["missing_repeat", "assoc_controlling_adult", "not_in_this_tool"]),
    ):
        episode = MissingEpisode.objects.create(
            person=child,
            started_at=now - timedelta(days=days_ago + 1),
            ended_at=now - timedelta(days=days_ago),
            recorded_by=users["practitioner"],
        )
        latest = ReturnInterview.objects.create(
            episode=episode,
            outcome=ReturnInterview.Outcome.ACCEPTED,
            held_at=now - timedelta(days=days_ago),
            indicators_found=found,
        )

    screening, started = services.start_screening(user=users["coordinator"], referral=referral)

    assert started
    answers = {a.indicator: a for a in screening.answers.all()}
    assert set(answers) == {"missing_repeat", "assoc_controlling_adult"}
    for answer in answers.values():
        assert answer.state == PRESENT
        assert answer.prefilled_from == f"return-interview:{latest.pk}"
        assert answer.source == ScreeningAnswer.Source.RECORD
        assert "return home interview" in answer.evidence


def test_changing_a_prefilled_answer_to_not_present_drops_where_it_came_from(tool, referral, users, child):
    now = timezone.now()
    episode = MissingEpisode.objects.create(
        person=child, started_at=now - timedelta(days=2), ended_at=now, recorded_by=users["practitioner"]
    )
    ReturnInterview.objects.create(episode=episode, held_at=now, indicators_found=["missing_repeat"])
    screening, _ = services.start_screening(user=users["coordinator"], referral=referral)
    services.save_answers(screening, [state("missing_repeat", NOT_PRESENT)], user=users["coordinator"])
    answer = screening.answers.get(indicator="missing_repeat")
    assert (answer.state, answer.prefilled_from, answer.evidence) == (NOT_PRESENT, "", "")


def test_a_screening_keeps_its_tool_version_after_a_new_version_is_published(started, coordinator, tool, users):
    # Version 2 counts a controlling older person for much more: Medium would become High.
    newer = make_tool("test.2")
    newer.definition["domains"][1]["indicators"][0]["weight"] = 30
    newer.save()
    services.save_answers(
        started,
        [present("missing_repeat"), present("assoc_controlling_adult"), state("disclosure_exploitation", NOT_PRESENT)],
        user=coordinator,
    )
    screening = services.complete_screening(started, user=coordinator)
    assert screening.tool == tool
    assert screening.level == "medium"
    assert screening.explanation["tool_version"] == "test.1"

    rescreen, _ = services.start_screening(user=coordinator, person=started.person)
    assert rescreen.tool == newer


def test_one_screening_in_progress_per_referral_is_resumed(started, users, referral):
    again, created = services.start_screening(user=users["practitioner"], referral=referral)
    assert not created and again == started
    assert Screening.objects.filter(referral=referral).count() == 1


def test_a_draft_referral_cannot_be_screened(tool, users, referral):
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.DRAFT)
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="not been submitted"):
        services.start_screening(user=users["coordinator"], referral=referral)
    assert not Screening.objects.exists()


def test_a_practitioner_cannot_screen_a_child_they_do_not_work_with(tool, users, referral):
    with pytest.raises(PermissionDenied):
        services.start_screening(user=users["school_practitioner"], referral=referral)
    assert not Screening.objects.exists()


def test_a_completed_screening_cannot_be_changed(started, coordinator):
    answer_required(started, coordinator)
    services.complete_screening(started, user=coordinator)
    with pytest.raises(ValidationError, match="completed"):
        services.save_answers(started, [present("assoc_unknown_adults")], user=coordinator)
    with pytest.raises(ValidationError, match="completed"):
        services.complete_screening(started, user=coordinator)


def test_each_change_writes_one_audit_event_about_the_child(tool, referral, coordinator, child):
    screening, _ = services.start_screening(user=coordinator, referral=referral)
    answer_required(screening, coordinator)
    services.record_judgement(screening, user=coordinator, level="", reason="")
    services.complete_screening(screening, user=coordinator)
    events = list(
        AuditEvent.objects.filter(object_type="screening.Screening").order_by("id").values_list("action", "person_id")
    )
    assert events == [("create", child.pk), ("update", child.pk), ("update", child.pk), ("update", child.pk)]
