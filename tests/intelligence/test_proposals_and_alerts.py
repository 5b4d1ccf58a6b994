"""Links proposed from referrals, missing episodes and screenings, and the
new-link alert an accepted link raises."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hoth.accounts.models import Role
from hoth.cases import services as cases
from hoth.intelligence import services
from hoth.intelligence.models import Link, LinkAlert
from hoth.notifications.models import Notification
from hoth.referrals.models import NamedAssociate, Referral
from hoth.screening.models import Level, Screening, ScreeningAnswer, ScreeningTool
from tests.conftest import make_user

from .conftest import graded_link

pytestmark = pytest.mark.django_db


def referral_naming(users, child, name, details=""):
    referral = Referral.objects.create(
        person=child,
        referrer=users["practitioner"],
        status="submitted",
        referrer_agency=users["practitioner"].agency,
        happened_on=date(2026, 11, 1),
    )
    NamedAssociate.objects.create(referral=referral, kind="person", name=name, details=details)
    from hoth.intelligence.proposals import propose_from_referral

    return referral, propose_from_referral(referral)


# ------------------------------------------------------------ proposals


def test_a_referral_naming_a_street_name_in_quotes_proposes_a_link(users, child, adult):
    referral, proposed = referral_naming(users, child, "Older male known as 'Tiny'", "Gives Tyler lifts")
    (link,) = proposed
    assert link.status == Link.Status.PROPOSED and link.type == "seen_with"
    assert link.source.person == child and link.target == adult and link.referral == referral
    assert link.valid_from == date(2026, 11, 1)
    assert "'Tiny' matches its street name or nickname in quotes" in link.proposed_because
    assert referral.reference in link.proposed_because
    child.refresh_from_db()
    assert child.intelligence_subject, "the child is now in the intelligence picture, so analysts see them"


def test_a_word_that_only_happens_to_be_a_street_name_proposes_nothing(users, child, adult):
    _, proposed = referral_naming(users, child, "A tiny man in a red car")
    assert proposed == []
    child.refresh_from_db()
    assert not child.intelligence_subject and not Link.objects.exists()


def test_the_same_link_is_not_proposed_twice(users, child, adult):
    referral_naming(users, child, "'Tiny'")
    _, again = referral_naming(users, child, "Dean Moss")
    assert again == [] and Link.objects.count() == 1


def test_submitting_a_referral_proposes_its_links(users, child, adult, harm_types):
    from hoth.referrals import services as referrals

    user = users["practitioner"]
    referral = referrals.start_referral(user, subject=Referral.Subject.CHILD)
    referrals.choose_person(user, referral, child)
    referrals.set_harm_types(user, referral, [harm_types["cce"]])
    referrals.save_answers(
        user,
        referral,
        what_happened="Seen getting into a car outside school.",
        child_words="They give me lifts.",
        immediate_danger=False,
        referrer_role="Lead",
        referrer_phone="+447700900982",
        consent=Referral.Consent.GIVEN,
    )
    referrals.add_associate(user, referral, kind="person", name="Dean Moss", details="Seen with Tyler at the station")
    referrals.submit_referral(user, Referral.objects.get(pk=referral.pk))
    assert Link.objects.proposed().filter(referral=referral, target=adult).exists()


def test_a_missing_episode_proposes_who_the_child_was_with_and_the_place_they_were_found_near(
    users, child, adult, place
):
    now = timezone.now()
    episode = cases.record_missing_episode(
        person=child,
        recorded_by=users["practitioner"],
        started_at=now - timedelta(days=2),
        ended_at=now - timedelta(days=1),
        who_with="With an adult male known as 'Tiny'.",
    )
    episode.found_latitude, episode.found_longitude = 53.0951, -2.4401  # about 13 metres from the flats
    episode.save()
    from hoth.intelligence.proposals import propose_from_missing_episode

    proposed = propose_from_missing_episode(episode)
    kinds = {(link.target, link.type) for link in Link.objects.proposed()}
    assert (adult, "seen_with") in kinds and (place, "frequents") in kinds
    near = Link.objects.get(target=place)
    assert "m from Mill Street Flats" in near.proposed_because and near.missing_episode == episode
    assert len(proposed) == 1, "the recording itself proposed the first; this call only the place"


def test_a_place_further_than_150_metres_away_is_not_proposed(users, child, place):
    now = timezone.now()
    episode = cases.record_missing_episode(
        person=child,
        recorded_by=users["practitioner"],
        started_at=now - timedelta(days=2),
        ended_at=now - timedelta(days=1),
    )
    episode.found_latitude, episode.found_longitude = 53.0990, -2.4400  # about 440 metres north
    episode.save()
    from hoth.intelligence.proposals import propose_from_missing_episode

    assert propose_from_missing_episode(episode) == []


def test_screening_evidence_naming_a_vehicle_proposes_a_link(users, child, grading_codes):
    vehicle = services.record_vehicle(users["analyst"], registration="AB12 CDE")
    tool = ScreeningTool.objects.create(version="t", name="Test", definition={"domains": []}, is_current=True)
    screening = Screening.objects.create(
        person=child, tool=tool, screened_by=users["coordinator"], screened_by_agency=users["coordinator"].agency
    )
    ScreeningAnswer.objects.create(
        screening=screening,
        indicator="places_cars",
        state="present",
        evidence="Seen getting into a grey Audi, registration ab12 cde, after school",
    )
    ScreeningAnswer.objects.create(
        screening=screening, indicator="health_self_harm", state="present", evidence="AB12 CDE"
    )
    from hoth.intelligence.proposals import propose_from_screening

    (link,) = propose_from_screening(screening)
    assert link.target == vehicle and link.screening == screening
    assert "places_cars" in link.proposed_because


# ------------------------------------------------------------ alerts


def test_accepting_a_link_that_joins_a_child_to_a_person_of_concern_alerts_the_coordinator_and_lead(
    users, child, adult
):
    _, (proposal,) = referral_naming(users, child, "'Tiny'")
    link, alert = services.accept_link(
        users["analyst"], proposal, source_evaluation="2", intelligence_assessment="B", confidence="high"
    )
    assert isinstance(alert, LinkAlert)
    assert set(alert.children.all()) == {child}
    assert set(alert.persons_of_concern.all()) == {adult}
    assert alert.direct
    told = set(alert.told.all())
    assert told == {users["coordinator"], users["practitioner"]}, "the coordinator and Tyler's lead professional"
    lead_note = Notification.objects.get(user=users["practitioner"])
    assert "Tyler Okafor" in lead_note.body and "Dean Moss" not in lead_note.body, (
        "the lead professional is not told who the adult is: that is intelligence"
    )
    assert Notification.objects.filter(user=users["coordinator"]).count() == 1
    assert not Notification.objects.filter(user=users["school_practitioner"]).exists()


def test_a_link_into_a_cluster_with_a_high_level_child_alerts(users, child, stranger, grading_codes, place):
    """Jade is at High level and frequents the flats; Tyler's new link to the
    flats joins him to her cluster."""
    tool = ScreeningTool.objects.create(version="t", name="Test", definition={"domains": []}, is_current=True)
    Screening.objects.create(
        person=stranger,
        tool=tool,
        screened_by=users["coordinator"],
        level=Level.HIGH,
        screened_by_agency=users["coordinator"].agency,
        status="complete",
        completed_at=timezone.now(),
    )
    jade = services.subject_for_person(users["coordinator"], stranger)
    graded_link(users, jade, place, type="frequents")
    tyler = services.subject_for_person(users["coordinator"], child)
    _, alert = graded_link(users, tyler, place, type="frequents")
    assert alert is not None and not alert.direct
    assert set(alert.high_level_children.all()) == {stranger}
    assert set(alert.children.all()) == {child}, "Jade was already in the cluster: only Tyler is newly joined"
    assert "High level" in alert.reason


def test_a_link_within_a_cluster_that_links_no_child_to_concern_raises_nothing(users, child, adult, place):
    tyler = services.subject_for_person(users["coordinator"], child)
    graded_link(users, tyler, place, type="frequents")
    _, first = graded_link(users, adult, place, type="associated_with")
    assert first is not None, "the adult of concern joins Tyler's cluster"
    _, again = graded_link(users, adult, place, type="seen_with")
    assert again is None, "nobody new is connected"


def test_a_link_that_ended_before_today_raises_nothing(users, child, adult):
    tyler = services.subject_for_person(users["coordinator"], child)
    _, alert = graded_link(users, tyler, adult, valid_from=date(2024, 1, 1), valid_to=date(2024, 6, 1))
    assert alert is None and not LinkAlert.objects.exists()


def test_each_person_sees_only_the_alert_they_were_told_of_and_only_whom_they_may_see(
    users, child, adult, verified_client
):
    tyler = services.subject_for_person(users["coordinator"], child)
    _, alert = graded_link(users, tyler, adult)
    assert set(LinkAlert.objects.visible_to(users["practitioner"])) == {alert}
    assert not LinkAlert.objects.visible_to(users["school_practitioner"]).exists()
    page = verified_client(users["practitioner"]).get(f"/intelligence/alerts/{alert.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tyler Okafor" in text and "Dean Moss" not in text
    assert "1 you do not have access to" in text
    other = make_user("other@council.example", users["practitioner"].agency, Role.PRACTITIONER)
    assert verified_client(other).get(f"/intelligence/alerts/{alert.pk}/").status_code == 404


def test_an_alert_on_a_link_handled_c_for_another_agency_names_only_the_child_to_a_coordinator(
    users, child, adult, place, agencies, verified_client
):
    """The intelligence under the link may go to Health only: the council's
    coordinator is told Tyler is now connected, not to whom."""
    report = services.submit_intelligence(users["analyst"], {"what": "Tyler seen with Tiny", "how_known": "seen"})
    services.grade_intelligence(
        users["analyst"],
        report,
        source_evaluation="2",
        intelligence_assessment="B",
        handling_code="C",
        handling_conditions="Health only",
        shared_with=[agencies["health"]],
        sanitised="A child seen with an adult",
    )
    graded_link(users, adult, place, type="associated_with")
    tyler = services.subject_for_person(users["coordinator"], child)
    _, alert = graded_link(users, tyler, adult, intelligence=report)
    assert users["coordinator"] in alert.told.all()
    page = verified_client(users["coordinator"]).get(f"/intelligence/alerts/{alert.pk}/").content.decode()
    assert "Tyler Okafor" in page
    assert "Dean Moss" not in page and "Mill Street Flats" not in page and "is not shared with you" in page
    analyst = verified_client(users["analyst"]).get(f"/intelligence/alerts/{alert.pk}/").content.decode()
    assert "Dean Moss" in analyst


def test_the_lead_professional_is_not_shown_a_place_of_concern_they_may_not_see(users, child, place, verified_client):
    from hoth.intelligence.models import Subject

    Subject.objects.filter(pk=place.pk).update(of_concern=True, concern="Drug supply")
    tyler = services.subject_for_person(users["coordinator"], child)
    _, alert = graded_link(users, tyler, place, type="frequents")
    assert alert is not None and users["practitioner"] in alert.told.all()
    page = verified_client(users["practitioner"]).get(f"/intelligence/alerts/{alert.pk}/").content.decode()
    assert "Tyler Okafor" in page and "Mill Street Flats" not in page
