"""Subjects of concern and the typed, time-bounded, graded links between them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hoth.access import policy
from hoth.intelligence import services
from hoth.intelligence.models import LINK_DATES_BACKWARDS, Link, Subject, Vehicle

from .conftest import graded_link

pytestmark = pytest.mark.django_db


def test_a_vehicle_is_recorded_once_by_its_registration(users, grading_codes):
    first = services.record_vehicle(users["analyst"], registration="ab12 cde", make="Audi", colour="Grey")
    again = services.record_vehicle(users["analyst"], registration="AB12CDE")
    assert first == again and first.kind == Subject.Kind.VEHICLE
    assert Vehicle.objects.get().registration == "AB12CDE"
    assert str(first) == "AB12 CDE (Grey Audi)"


@pytest.mark.parametrize(
    "registration, foreign, message",
    [
        ("", False, "Enter the registration"),
        ("NOTAPLATE1", False, "8 letters"),
        ("NOT ONE", False, "Enter a UK registration"),
        ("ABCDEFGHIJ", True, "8 letters and numbers or fewer"),
    ],
)
def test_a_registration_that_is_not_one_is_refused(users, grading_codes, registration, foreign, message):
    with pytest.raises(ValidationError) as error:
        services.record_vehicle(users["analyst"], registration=registration, foreign_plate=foreign)
    assert message in error.value.message_dict["registration"][0]
    assert not Vehicle.objects.exists()


def test_a_foreign_plate_is_checked_only_for_its_characters(users, grading_codes):
    assert services.record_vehicle(users["analyst"], registration="WX 4512 K", foreign_plate=True)


def test_a_phone_is_kept_in_e164(users, grading_codes):
    phone = services.record_phone(users["analyst"], number="07700 900982", description="The 'Tiny' line")
    assert phone.phone.e164 == "+447700900982" and phone.reference.startswith("T-")
    with pytest.raises(ValidationError):
        services.record_phone(users["analyst"], number="not a number")


def test_only_analysts_record_subjects_and_flag_concern(users, adult, grading_codes):
    for role in ("practitioner", "coordinator", "panel_chair"):
        with pytest.raises(PermissionDenied):
            services.record_phone(users[role], number="07700 900983")
        with pytest.raises(PermissionDenied):
            services.flag_of_concern(users[role], adult, of_concern=False)


def test_flagging_of_concern_needs_a_reason(users, place):
    with pytest.raises(ValidationError) as error:
        services.flag_of_concern(users["analyst"], place, of_concern=True, concern=" ")
    assert "concern" in error.value.message_dict


def test_a_link_takes_the_grading_of_the_intelligence_it_rests_on(users, child, adult, grading_codes):
    from .test_reports import grade, submit

    report = grade(users["analyst"], submit(users["practitioner"], about=child), source="2", assessment="C")
    me = services.subject_for_person(users["coordinator"], child)
    link, _ = services.record_link(
        users["analyst"],
        source=me,
        target=adult,
        type="seen_with",
        intelligence=report,
        valid_from=date(2026, 11, 20),
        confidence="high",
    )
    assert link.status == Link.Status.ACCEPTED and link.grading == "2C"
    assert link.basis == report


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"type": "knows"}, "type"),
        ({"valid_from": date(2026, 5, 1), "valid_to": date(2026, 4, 1)}, "valid_to"),
        ({"confidence": "certain"}, "confidence"),
        ({"source_evaluation": "9"}, "source_evaluation"),
    ],
)
def test_a_link_that_is_not_one_is_refused(users, child, adult, grading_codes, fields, field):
    me = services.subject_for_person(users["coordinator"], child)
    with pytest.raises(ValidationError) as error:
        graded_link(users, me, adult, **fields)
    assert field in error.value.message_dict
    assert not Link.objects.exists()


def test_a_link_from_a_subject_to_itself_is_refused(users, adult):
    with pytest.raises(ValidationError) as error:
        graded_link(users, adult, adult)
    assert "target" in error.value.message_dict


def test_links_are_seen_by_those_who_work_with_intelligence_and_see_both_ends(users, child, adult, stranger):
    me = services.subject_for_person(users["coordinator"], child)
    other = services.subject_for_person(users["coordinator"], stranger)
    known, _ = graded_link(users, me, adult)
    hidden, _ = graded_link(users, other, adult)
    assert set(Link.objects.visible_to(users["analyst"])) == {known, hidden}
    assert set(Link.objects.visible_to(users["coordinator"])) == {known, hidden}
    for role in ("practitioner", "school_practitioner", "manager", "auditor"):
        assert not Link.objects.visible_to(users[role]).exists(), role
        assert not policy.can(users[role], "network.view")


def test_a_link_resting_on_intelligence_someone_may_not_read_is_hidden_from_them(users, child, adult, agencies):
    from .test_reports import grade, submit

    report = grade(
        users["analyst"],
        submit(users["practitioner"], about=child),
        handling="C",
        handling_conditions="Police only",
        shared_with=[agencies["police"]],
    )
    me = services.subject_for_person(users["coordinator"], child)
    link, _ = services.record_link(users["analyst"], source=me, target=adult, type="seen_with", intelligence=report)
    assert link in Link.objects.visible_to(users["analyst"])
    assert link not in Link.objects.visible_to(users["coordinator"])


def test_a_child_in_a_link_is_hidden_from_whoever_may_not_see_them(users, child, adult, agencies):
    """A police practitioner works with intelligence but not with Tyler: they
    see the adult of concern's profile only if they may see the adult, and no
    link naming Tyler at all."""
    from hoth.accounts.models import Role
    from tests.conftest import make_user

    officer = make_user("pc@police.example", agencies["police"], Role.PRACTITIONER)
    me = services.subject_for_person(users["coordinator"], child)
    graded_link(users, me, adult)
    assert not Subject.objects.visible_to(officer).filter(pk=me.pk).exists()
    assert not Link.objects.visible_to(officer).exists()


def test_an_ended_link_stays_on_record_but_not_in_todays_network(users, child, adult):
    me = services.subject_for_person(users["coordinator"], child)
    link, _ = graded_link(users, me, adult, valid_from=date(2025, 1, 1))
    services.end_link(users["analyst"], link, valid_to=date(2025, 6, 30))
    assert Link.objects.accepted().filter(pk=link.pk).exists()
    assert not Link.objects.current().filter(pk=link.pk).exists()
    assert Link.objects.current(day=date(2025, 3, 1)).filter(pk=link.pk).exists()
    with pytest.raises(ValidationError):
        services.end_link(users["analyst"], link, valid_to=date(2024, 1, 1))


def test_a_proposed_link_is_accepted_with_a_grading_or_rejected_with_a_reason(users, child, adult):
    me = services.subject_for_person(users["coordinator"], child)
    proposed = services.propose_link(source=me, target=adult, type="seen_with", because="Named in a referral")
    assert services.propose_link(source=adult, target=me, type="seen_with", because="Again") is None, (
        "the same link is not proposed twice, either way round"
    )
    with pytest.raises(ValidationError):
        services.accept_link(
            users["analyst"], proposed, source_evaluation="", intelligence_assessment="B", confidence="medium"
        )
    proposed.refresh_from_db()
    assert proposed.status == Link.Status.PROPOSED
    accepted, _ = services.accept_link(
        users["analyst"],
        proposed,
        source_evaluation="2",
        intelligence_assessment="C",
        confidence="low",
        valid_from=timezone.localdate() - timedelta(days=3),
    )
    assert accepted.status == Link.Status.ACCEPTED and accepted.decided_by == users["analyst"]
    with pytest.raises(ValidationError):
        services.reject_link(users["analyst"], accepted, reason="Too late")


def test_a_proposal_accepted_without_a_start_keeps_its_records_and_an_end_before_it_is_refused(users, child, adult):
    me = services.subject_for_person(users["coordinator"], child)
    started = timezone.localdate() - timedelta(days=10)
    proposed = services.propose_link(
        source=me, target=adult, type="seen_with", because="Found with him", valid_from=started
    )
    with pytest.raises(ValidationError) as refused:
        services.accept_link(
            users["analyst"],
            proposed,
            source_evaluation="2",
            intelligence_assessment="B",
            confidence="medium",
            valid_to=started - timedelta(days=1),
        )
    assert refused.value.message_dict == {"valid_to": [LINK_DATES_BACKWARDS]}
    accepted, _ = services.accept_link(
        users["analyst"],
        proposed,
        source_evaluation="2",
        intelligence_assessment="B",
        confidence="medium",
        valid_to=started + timedelta(days=1),
    )
    assert (accepted.valid_from, accepted.valid_to) == (started, started + timedelta(days=1))


def test_a_rejected_proposal_is_not_made_again_from_the_same_record(users, child, adult, harm_types):
    from hoth.referrals.models import Referral

    referral = Referral.objects.create(
        person=child, referrer=users["practitioner"], referrer_agency=users["practitioner"].agency, status="submitted"
    )
    me = services.subject_for_person(users["coordinator"], child)
    proposed = services.propose_link(source=me, target=adult, type="seen_with", because="Named", referral=referral)
    services.reject_link(users["analyst"], proposed, reason="A different man with the same street name")
    assert services.propose_link(source=me, target=adult, type="seen_with", because="Named", referral=referral) is None
    assert services.propose_link(source=me, target=adult, type="seen_with", because="Named again") is not None
