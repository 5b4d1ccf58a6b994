"""The screening pages: one domain per page with follow-up questions checked
on the server, professional judgement apart, check your answers, the result
that explains itself, approval of a lower level, and the trajectory."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hoth.audit.models import AuditEvent
from hoth.cases.models import MissingEpisode, ReturnInterview
from hoth.screening import services
from hoth.screening.models import Screening, ScreeningAnswer


@pytest.fixture
def coordinator(users):
    return users["coordinator"]


@pytest.fixture
def http(verified_client, coordinator):
    return verified_client(coordinator)


@pytest.fixture
def screening(tool, referral, coordinator):
    return services.start_screening(user=coordinator, referral=referral)[0]


def present(prefix, evidence="Seen getting into a car with an older man", when="current", source="seen"):
    return {
        f"{prefix}-state": "present",
        f"{prefix}-when": when,
        f"{prefix}-evidence": evidence,
        f"{prefix}-source": source,
    }


def test_the_start_page_offers_to_start_then_to_continue(http, tool, referral):
    page = http.get(f"/screening/referral/{referral.reference}/start/").content.decode()
    assert "Start the screening" in page and "Test screening tool (version test.1)" in page

    response = http.post(f"/screening/referral/{referral.reference}/start/")
    screening = Screening.objects.get(referral=referral)
    assert response["Location"] == f"/screening/{screening.pk}/domain/missing/"
    assert "Continue the screening" in http.get(f"/screening/referral/{referral.reference}/start/").content.decode()
    http.post(f"/screening/referral/{referral.reference}/start/")
    assert Screening.objects.filter(referral=referral).count() == 1


def test_a_domain_page_asks_each_indicator_with_follow_ups_revealed_for_present(http, screening):
    page = http.get(f"/screening/{screening.pk}/domain/missing/").content.decode()
    assert '<h1 class="govuk-heading-l">Going missing</h1>' in page
    assert "Repeated missing episodes" in page and "Has been missing" in page
    assert 'data-reveals="conditional-id_missing_repeat-state"' in page
    assert 'id="conditional-id_missing_repeat-state"' in page
    for question in ("When was this last seen or known about?", "What is the evidence?", "Where did this come from?"):
        assert question in page
    assert "(optional)" not in page
    assert AuditEvent.objects.filter(action="view", object_id=str(screening.pk)).count() == 1


def test_present_without_when_evidence_or_source_is_refused_naming_the_indicator_and_nothing_is_saved(http, screening):
    response = http.post(f"/screening/{screening.pk}/domain/missing/", {"missing_repeat-state": "present"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select when \u201cRepeated missing episodes\u201d was last seen or known about" in page
    assert "Enter the evidence that \u201cRepeated missing episodes\u201d is present" in page
    assert "Select where the information about \u201cRepeated missing episodes\u201d came from" in page
    assert 'href="#id_missing_repeat-when_0"' in page
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: " in page
    assert not screening.answers.exists()


def test_answers_are_saved_page_by_page_and_the_last_domain_leads_to_judgement(http, screening):
    response = http.post(
        f"/screening/{screening.pk}/domain/missing/",
        {
            **present("missing_repeat"),
            "missing_episode-state": "unknown",
            # Follow-ups sent for an indicator not present are dropped, not stored.
            "missing_episode-evidence": "stray text",
        },
    )
    assert response["Location"] == f"/screening/{screening.pk}/domain/associates/"
    saved = {a.indicator: a for a in screening.answers.all()}
    assert saved["missing_repeat"].evidence == "Seen getting into a car with an older man"
    assert (saved["missing_episode"].state, saved["missing_episode"].evidence) == ("unknown", "")

    response = http.post(
        f"/screening/{screening.pk}/domain/disclosure/", {"disclosure_exploitation-state": "not_present"}
    )
    assert response["Location"] == f"/screening/{screening.pk}/judgement/"


def test_save_and_come_back_later_keeps_the_draft(http, screening):
    response = http.post(
        f"/screening/{screening.pk}/domain/associates/", {**present("assoc_controlling_adult"), "save-and-return": "1"}
    )
    assert response["Location"] == f"/screening/{screening.pk}/check/"
    screening.refresh_from_db()
    assert screening.status == Screening.Status.DRAFT
    assert screening.answers.get().indicator == "assoc_controlling_adult"


def test_answers_from_the_return_home_interview_are_marked_on_the_page(http, tool, referral, child, users):
    now = timezone.now()
    episode = MissingEpisode.objects.create(
        person=child,
        started_at=now - timedelta(days=3),
        ended_at=now - timedelta(days=2),
        recorded_by=users["practitioner"],
    )
    ReturnInterview.objects.create(
        episode=episode, held_at=now - timedelta(days=1), indicators_found=["missing_repeat"]
    )
    start = http.get(f"/screening/referral/{referral.reference}/start/").content.decode()
    assert "filled in from the return home interview" in start
    http.post(f"/screening/referral/{referral.reference}/start/")
    screening = Screening.objects.get(referral=referral)

    page = http.get(f"/screening/{screening.pk}/domain/missing/").content.decode()
    day = f"{timezone.localdate(now - timedelta(days=1)):%-d %B %Y}"
    assert f"From the return home interview on {day}" in page
    assert "Some answers on this page were filled in from the return home interview" in page
    assert 'value="present" checked' in page


def test_judgement_needs_a_level_and_a_reason_when_it_differs(http, screening):
    response = http.post(f"/screening/{screening.pk}/judgement/", {"differs": "yes"})
    page = response.content.decode()
    assert "Select the level your judgement gives" in page and "Give the reason for your judgement" in page
    response = http.post(
        f"/screening/{screening.pk}/judgement/",
        {"differs": "yes", "level": "high", "reason": "Seen with known gang members"},
    )
    assert response["Location"] == f"/screening/{screening.pk}/check/"
    screening.refresh_from_db()
    assert (screening.judgement_level, screening.judgement_reason) == ("high", "Seen with known gang members")


def test_check_your_answers_lists_each_domain_with_change_links(http, screening, coordinator):
    services.save_answers(
        screening,
        [services.AnswerData("missing_repeat", "present", "current", "Police log", "record")],
        user=coordinator,
    )
    page = http.get(f"/screening/{screening.pk}/check/").content.decode()
    for heading in ("Going missing", "Associates and relationships", "Disclosure", "Professional judgement"):
        assert f'<h2 class="govuk-heading-m">{heading}</h2>' in page
    assert f'href="/screening/{screening.pk}/domain/missing/#indicator-missing_repeat"' in page
    assert "Police log" in page
    assert "Not answered: this must be answered" in page


def test_completing_with_a_required_indicator_unanswered_shows_which_and_links_to_it(http, screening, coordinator):
    services.save_answers(screening, [services.AnswerData("missing_repeat", "not_present")], user=coordinator)
    response = http.post(f"/screening/{screening.pk}/check/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Answer \u201cThe child has disclosed exploitation\u201d in Disclosure" in page
    assert f'href="/screening/{screening.pk}/domain/disclosure/#indicator-disclosure_exploitation"' in page
    screening.refresh_from_db()
    assert screening.status == Screening.Status.DRAFT


def test_the_result_explains_the_level(http, screening, coordinator):
    services.save_answers(
        screening,
        [
            services.AnswerData("missing_repeat", "present", "current", "Police log", "record"),
            services.AnswerData("disclosure_exploitation", "present", "current", "Told her teacher", "told"),
        ],
        user=coordinator,
    )
    services.record_judgement(screening, user=coordinator, level="", reason="")
    response = http.post(f"/screening/{screening.pk}/check/")
    assert response["Location"] == f"/screening/{screening.pk}/"
    page = http.get(f"/screening/{screening.pk}/").content.decode()
    assert '<h1 class="govuk-panel__title">High (significant)</h1>' in page
    assert "High because a disclosure of exploitation was recorded" in page
    for text in (
        "Repeated missing episodes",
        "Going missing",
        "Significant risk indicator",
        "Rules that applied",
        "Test screening tool, version test.1",
    ):
        assert text in page
    assert "Police log" not in page  # the evidence stays on the answers, the result explains the level


def test_a_lower_level_is_decided_by_another_coordinator_on_a_page_with_the_reasons(
    http, screening, coordinator, second_coordinator, verified_client, client
):
    services.save_answers(
        screening,
        [
            services.AnswerData("missing_repeat", "present", "current", "Log", "record"),
            services.AnswerData("disclosure_exploitation", "not_present"),
        ],
        user=coordinator,
    )
    services.record_judgement(screening, user=coordinator, level="none", reason="Episodes were a misunderstanding")
    http.post(f"/screening/{screening.pk}/check/")
    screening.refresh_from_db()
    assert screening.status == Screening.Status.AWAITING_APPROVAL
    assert http.get(f"/screening/{screening.pk}/approve/").status_code == 403

    manager = verified_client(second_coordinator)
    listing = manager.get("/screening/approvals/").content.decode()
    assert f"/screening/{screening.pk}/approve/" in listing
    page = manager.get(f"/screening/{screening.pk}/approve/").content.decode()
    assert "Episodes were a misunderstanding" in page and "Repeated missing episodes" in page
    refused = manager.post(f"/screening/{screening.pk}/approve/", {"decision": "refuse", "reason": ""})
    assert "Give the reason for refusing the lower level" in refused.content.decode()
    response = manager.post(f"/screening/{screening.pk}/approve/", {"decision": "approve"})
    assert response["Location"] == f"/screening/{screening.pk}/"
    screening.refresh_from_db()
    assert screening.level == "none" and screening.approved_by == second_coordinator


def _complete(screening, user, level_answers, when):
    services.save_answers(screening, level_answers, user=user)
    done = services.complete_screening(screening, user=user)
    Screening.objects.filter(pk=done.pk).update(completed_at=when)
    return done


def test_the_trajectory_shows_a_chart_with_a_table_beside_it_in_the_same_number_of_queries(
    http, tool, child, coordinator, django_assert_max_num_queries
):
    def rescreen(days_ago, disclose):
        screening, _ = services.start_screening(user=coordinator, person=child)
        return _complete(
            screening,
            coordinator,
            [
                services.AnswerData("missing_repeat", "present", "current", "Log", "record"),
                services.AnswerData(
                    "disclosure_exploitation",
                    "present" if disclose else "not_present",
                    "current",
                    "Told" if disclose else "",
                    "told" if disclose else "",
                ),
            ],
            timezone.now() - timedelta(days=days_ago),
        )

    rescreen(200, False)

    def page_queries():
        with CaptureQueriesContext(connection) as context:
            response = http.get(f"/screening/person/{child.reference}/trajectory/")
        assert response.status_code == 200
        return len(context.captured_queries), response.content.decode()

    few, page = page_queries()
    assert "data-trajectory-chart" in page and "vendor/chartjs/chart.umd.min.js" in page and "js/trajectory.js" in page
    assert "1 completed screening, oldest first" in page
    for days in range(150, 0, -15):
        rescreen(days, days < 40)
    with django_assert_max_num_queries(few):
        many, page = page_queries()
    assert "11 completed screenings, oldest first" in page
    assert page.index("Low") < page.index("High (significant)")
    assert 'data-rank="3"' in page and 'data-rank="1"' in page
    assert "<script>" not in page


def test_a_practitioner_sees_the_trajectory_of_a_child_they_work_with_only(tool, child, users, verified_client):
    assert (
        verified_client(users["practitioner"]).get(f"/screening/person/{child.reference}/trajectory/").status_code
        == 200
    )
    assert (
        verified_client(users["school_practitioner"])
        .get(f"/screening/person/{child.reference}/trajectory/")
        .status_code
        == 403
    )


def test_a_completed_screening_sends_its_pages_to_the_result(http, screening, coordinator):
    services.save_answers(
        screening,
        [
            services.AnswerData("missing_repeat", "not_present"),
            services.AnswerData("disclosure_exploitation", "not_present"),
        ],
        user=coordinator,
    )
    services.complete_screening(screening, user=coordinator)
    for path in ("domain/missing/", "judgement/", "check/"):
        assert http.get(f"/screening/{screening.pk}/{path}")["Location"] == f"/screening/{screening.pk}/"
    assert ScreeningAnswer.objects.filter(screening=screening).count() == 2


def test_a_referral_is_screened_once_and_its_start_page_then_leads_to_the_result(
    http, screening, coordinator, referral
):
    services.save_answers(
        screening,
        [
            services.AnswerData("missing_repeat", "not_present"),
            services.AnswerData("disclosure_exploitation", "not_present"),
        ],
        user=coordinator,
    )
    services.complete_screening(screening, user=coordinator)
    page = http.get(f"/screening/referral/{referral.reference}/start/").content.decode()
    assert "This referral has been screened" in page and "Start the screening" not in page
    assert f"/screening/person/{referral.person.reference}/rescreen/" in page
    response = http.post(f"/screening/referral/{referral.reference}/start/")
    assert response["Location"] == f"/screening/{screening.pk}/"
    assert Screening.objects.filter(referral=referral).count() == 1


def test_a_rescreen_starts_a_new_screening_without_a_referral(http, tool, child):
    response = http.post(f"/screening/person/{child.reference}/rescreen/")
    rescreen = Screening.objects.get(person=child)
    assert rescreen.referral is None and rescreen.tool == tool
    assert response["Location"] == f"/screening/{rescreen.pk}/domain/missing/"


def test_the_approvals_list_costs_the_same_queries_however_many_wait(
    tool, users, second_coordinator, verified_client, django_assert_max_num_queries
):
    from hoth.people.models import Person

    screener = users["coordinator"]
    http = verified_client(second_coordinator)

    def waiting(n):
        person = Person.objects.create(given_names=f"Child{n}", family_name="Waiting")
        screening, _ = services.start_screening(user=screener, person=person)
        services.save_answers(
            screening,
            [
                services.AnswerData("missing_repeat", "present", "current", "Log", "record"),
                services.AnswerData("disclosure_exploitation", "not_present"),
            ],
            user=screener,
        )
        services.record_judgement(screening, user=screener, level="none", reason="Not current")
        return services.complete_screening(screening, user=screener)

    waiting(0)
    with CaptureQueriesContext(connection) as context:
        assert "Child0 Waiting" in http.get("/screening/approvals/").content.decode()
    for n in range(1, 8):
        waiting(n)
    with django_assert_max_num_queries(len(context.captured_queries)):
        page = http.get("/screening/approvals/").content.decode()
    assert "8 waiting" in page
    assert len(AuditEvent.objects.filter(action="list").last().detail["person_ids"]) == 8


def test_a_draft_nobody_will_finish_can_be_discarded_and_the_referral_screened_afresh(http, screening, referral):
    services.save_answers(
        screening,
        [services.AnswerData("missing_repeat", "present", "current", "Missing three times", "record")],
        user=screening.screened_by,
    )
    start_page = http.get(f"/screening/referral/{referral.reference}/start/").content.decode()
    assert f'href="/screening/{screening.pk}/discard/"' in start_page
    confirm = http.get(f"/screening/{screening.pk}/discard/").content.decode()
    assert "Discard this draft screening?" in confirm and "has 1 answer." in confirm
    response = http.post(f"/screening/{screening.pk}/discard/")
    assert response["Location"] == f"/referrals/{referral.reference}/"
    assert not Screening.objects.filter(pk=screening.pk).exists()
    assert not ScreeningAnswer.objects.exists()
    event = AuditEvent.objects.get(action="delete", object_type="screening.Screening")
    assert event.object_id == str(screening.pk) and event.detail["answers"] == 1
    assert event.detail["referral"] == referral.reference
    # The referral waits for a new screening.
    assert "Start the screening" in http.get(f"/screening/referral/{referral.reference}/start/").content.decode()


def test_a_completed_screening_cannot_be_discarded(http, screening, coordinator):
    Screening.objects.filter(pk=screening.pk).update(status=Screening.Status.COMPLETE, completed_at=timezone.now())
    response = http.post(f"/screening/{screening.pk}/discard/")
    assert response["Location"] == f"/screening/{screening.pk}/"
    assert Screening.objects.filter(pk=screening.pk).exists()
    with pytest.raises(ValidationError):
        services.discard_screening(screening, user=coordinator)
