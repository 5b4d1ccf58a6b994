"""Sending a referral: complete or refused with a reason per missing answer,
recorded as a sharing decision, never sent twice, never edited after."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from hoth.audit.models import AuditEvent
from hoth.notifications.models import Notification
from hoth.people.models import Involvement, Person, SharingDecision
from hoth.referrals import services
from hoth.referrals.models import Referral, ReferralAddition


def snapshot(referral):
    referral = Referral.objects.get(pk=referral.pk)
    return (
        referral.status,
        referral.submitted_at,
        referral.screen_by,
        referral.sharing_decision_id,
        SharingDecision.objects.count(),
        Involvement.objects.count(),
        Notification.objects.count(),
    )


def test_a_complete_referral_is_sent_with_its_screening_deadline_and_sharing_decision(users, complete_draft, child):
    teacher = users["school_practitioner"]
    draft = complete_draft(teacher)
    sent = services.submit_referral(teacher, draft, submission_key="k1").referral
    assert sent.status == Referral.Status.SUBMITTED
    assert sent.submitted_at is not None and sent.screen_by > sent.submitted_at
    decision = sent.sharing_decision
    assert decision.person == child and decision.consent == "given" and decision.lawful_basis == "consent"
    assert decision.decided_by == teacher and decision.shared_with_team is None
    assert Involvement.objects.filter(person=child, user=teacher, kind=Involvement.Kind.RAISED).exists()
    event = AuditEvent.objects.filter(object_id=str(sent.pk), object_type="referrals.Referral").latest("id")
    assert event.detail["submitted"] is True and event.person_id == child.pk


def test_sharing_without_consent_records_the_lawful_basis_but_not_the_reason_in_clear(users, complete_draft):
    teacher = users["school_practitioner"]
    draft = complete_draft(
        teacher,
        consent=Referral.Consent.REFUSED,
        lawful_basis="public_task",
        consent_reason="Mum refused; asking again would warn the older males.",
    )
    sent = services.submit_referral(teacher, draft).referral
    assert sent.sharing_decision.lawful_basis == "public_task"
    assert sent.sharing_decision.consent == "refused"
    assert "warn the older males" not in sent.sharing_decision.why
    assert sent.reference in sent.sharing_decision.why


def test_an_urgent_referral_is_due_today_and_coordinators_are_told_without_the_childs_name(
    users, complete_draft, child
):
    draft = complete_draft(users["practitioner"], immediate_danger=True)
    assert draft.is_urgent
    sent = services.submit_referral(users["practitioner"], draft).referral
    normal = services.current_standard()
    assert sent.screen_by <= services.service_standard.screen_by(sent.submitted_at, urgent=False, standard=normal)
    note = Notification.objects.get(user=users["coordinator"])
    assert sent.reference in note.body and child.family_name not in note.subject + note.body
    assert not Notification.objects.filter(user=users["practitioner"]).exists()
    assert [m.to for m in mail.outbox] == [[users["coordinator"].email]]


def test_a_referral_with_no_danger_tells_nobody(users, complete_draft):
    services.submit_referral(users["practitioner"], complete_draft(users["practitioner"]))
    assert not Notification.objects.exists()


def test_missing_answers_are_each_named_and_nothing_changes(users, harm_types):
    teacher = users["school_practitioner"]
    draft = services.start_referral(teacher, subject=Referral.Subject.CHILD)
    before = snapshot(draft)
    with pytest.raises(services.ReferralIncomplete) as refused:
        services.submit_referral(teacher, draft, submission_key="k")
    assert refused.value.problems == {
        "person": "Find or record the child the referral is about",
        "harm_types": "Select at least one type of harm you are worried about",
        "what_happened": "Describe what happened",
        "immediate_danger": "Say whether anyone is in immediate danger",
        "referrer_role": "Enter your role",
        "referrer_phone": "Enter a phone number the front door can call you on",
        "consent": "Say whether the child or family agreed to this referral",
    }
    assert snapshot(draft) == before
    assert Referral.objects.get(pk=draft.pk).idempotency_key == ""


def test_a_lawful_basis_is_required_when_consent_is_refused(users, complete_draft):
    draft = complete_draft(users["practitioner"], consent=Referral.Consent.REFUSED)
    before = snapshot(draft)
    with pytest.raises(services.ReferralIncomplete) as refused:
        services.submit_referral(users["practitioner"], draft)
    assert refused.value.problems == {
        "lawful_basis": "Select the lawful basis for sharing without consent",
        "consent_reason": "Say why consent was refused and why you are sharing anyway",
    }
    assert snapshot(draft) == before


def test_consent_cannot_be_a_lawful_basis_for_sharing_without_consent(users, complete_draft):
    draft = complete_draft(
        users["practitioner"],
        consent=Referral.Consent.NOT_SOUGHT,
        lawful_basis="consent",
        consent_reason="Asking would put her at risk",
    )
    with pytest.raises(services.ReferralIncomplete) as refused:
        services.submit_referral(users["practitioner"], draft)
    assert set(refused.value.problems) == {"lawful_basis"}


def test_no_harm_type_chosen_is_refused(users, complete_draft):
    draft = complete_draft(users["practitioner"], harm=())
    with pytest.raises(services.ReferralIncomplete) as refused:
        services.submit_referral(users["practitioner"], draft)
    assert refused.value.problems == {"harm_types": "Select at least one type of harm you are worried about"}


def test_other_harm_needs_saying_what_it_is(users, complete_draft):
    draft = complete_draft(users["practitioner"], harm=("other",))
    with pytest.raises(services.ReferralIncomplete) as refused:
        services.submit_referral(users["practitioner"], draft)
    assert refused.value.problems == {"harm_other": "Say what the other harm is"}


def test_a_future_date_of_what_happened_is_refused(users, complete_draft):
    draft = complete_draft(users["practitioner"], happened_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(services.ReferralIncomplete) as refused:
        services.submit_referral(users["practitioner"], draft)
    assert refused.value.problems == {"happened_on": "The date it happened must be today or in the past"}


def test_a_referral_without_a_subject_is_refused(users, complete_draft):
    draft = complete_draft(users["practitioner"])
    Referral.objects.filter(pk=draft.pk).update(subject="", person=None)
    with pytest.raises(services.ReferralIncomplete) as refused:
        services.submit_referral(users["practitioner"], Referral.objects.get(pk=draft.pk))
    assert refused.value.problems == {
        "subject": "Select whether the referral is about a child or about a place, group, school or online space"
    }


def test_the_same_submission_key_twice_is_one_referral(users, complete_draft):
    teacher = users["school_practitioner"]
    draft = complete_draft(teacher)
    first = services.submit_referral(teacher, draft, submission_key="click-1")
    again = services.submit_referral(teacher, draft, submission_key="click-1")
    assert not first.replayed and again.replayed and again.referral.pk == first.referral.pk
    assert SharingDecision.objects.count() == 1


def test_a_sent_referral_is_not_sent_again_with_another_key_or_edited(users, complete_draft):
    teacher = users["school_practitioner"]
    draft = complete_draft(teacher)
    services.submit_referral(teacher, draft, submission_key="click-1")
    with pytest.raises(services.AlreadySubmitted):
        services.submit_referral(teacher, draft, submission_key="click-2")
    with pytest.raises(services.AlreadySubmitted):
        services.save_answers(teacher, draft, what_happened="Something else entirely")
    assert Referral.objects.get(pk=draft.pk).what_happened.startswith("Seen getting into a car")


def test_only_the_referrer_edits_a_draft(users, complete_draft):
    from django.core.exceptions import PermissionDenied

    draft = complete_draft(users["school_practitioner"])
    with pytest.raises(PermissionDenied):
        services.save_answers(users["practitioner"], draft, what_happened="Not mine to write")
    with pytest.raises(PermissionDenied):
        services.submit_referral(users["coordinator"], draft)


def test_information_is_added_to_a_sent_referral_which_itself_stays_as_sent(users, complete_draft):
    teacher = users["school_practitioner"]
    sent = services.submit_referral(teacher, complete_draft(teacher)).referral
    services.add_information(users["coordinator"], sent, "Police confirm the car is known to them.")
    assert ReferralAddition.objects.get(referral=sent).added_by_agency == users["coordinator"].agency
    with pytest.raises(services.ReferralIncomplete):
        services.add_information(teacher, sent, "   ")
    assert ReferralAddition.objects.count() == 1


def test_a_referrer_who_created_the_child_is_not_involved_twice(users, complete_draft, agencies):
    from hoth.people.services import create_person

    teacher = users["school_practitioner"]
    new = create_person(teacher, {"given_names": "Ruby", "family_name": "Hale"})
    services.submit_referral(teacher, complete_draft(teacher, person=new))
    assert Involvement.objects.filter(person=new, user=teacher, kind=Involvement.Kind.RAISED).count() == 1
    assert Person.objects.visible_to(teacher).filter(pk=new.pk).exists()


def test_the_screening_deadline_follows_the_configured_service_standard(users, complete_draft, settings):
    from datetime import date, datetime
    from unittest import mock
    from zoneinfo import ZoneInfo

    from hoth.working_days.models import BankHoliday

    settings.HOTH_SCREENING_WORKING_DAYS = 2
    settings.HOTH_WORKING_DAY_ENDS = "16:30"
    BankHoliday.objects.create(day=date(2026, 11, 30), name="A special bank holiday")
    london = ZoneInfo("Europe/London")
    friday_morning = datetime(2026, 11, 27, 9, 0, tzinfo=london)
    with mock.patch("hoth.referrals.services.timezone.now", return_value=friday_morning):
        sent = services.submit_referral(users["practitioner"], complete_draft(users["practitioner"])).referral
    # Two working days after Friday, skipping the weekend and Monday's bank holiday.
    assert sent.screen_by == datetime(2026, 12, 2, 16, 30, tzinfo=london)
