"""The referral pages: one question a page, each saving the draft; check your
answers; a double click sends one referral; bad input changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hoth.audit.models import AuditEvent
from hoth.contexts.models import Context
from hoth.panels.models import AgencyContribution, AgendaItem, Decision, Meeting
from hoth.people.models import Person, SharingDecision
from hoth.referrals import services
from hoth.referrals.models import Referral


def url(name, referral, query=""):
    return reverse(f"referrals:{name}", args=[referral.reference]) + query


def start(client):
    response = client.post(reverse("referrals:start"), {"subject": "child"})
    referral = Referral.objects.latest("created_at")
    assert response.status_code == 302 and response["Location"] == url("child", referral)
    return referral


def test_a_practitioner_refers_a_child_they_work_with_one_question_a_page(users, harm_types, child, verified_client):
    teacher = users["school_practitioner"]
    client = verified_client(teacher)
    referral = start(client)
    assert referral.is_draft and referral.referrer == teacher and referral.referrer_agency == teacher.agency

    found = client.get(url("child", referral), {"q": "Tyler Okafor"})
    assert child.reference in found.content.decode()
    assert client.post(url("child", referral), {"person": child.reference})["Location"] == url("harm", referral)
    response = client.post(
        url("harm", referral),
        {"harm_types": [harm_types["cce"].pk, harm_types["other"].pk], "harm_other": "Carrying knives"},
    )
    assert response["Location"] == url("what-happened", referral)
    response = client.post(
        url("what-happened", referral),
        {
            "what_happened": "Seen with older males",
            "happened_on_0": "3",
            "happened_on_1": "11",
            "happened_on_2": "2026",
        },
    )
    assert response["Location"] == url("child-words", referral)
    assert client.post(url("child-words", referral), {"child_words": "They look after me"})["Location"] == url(
        "associates", referral
    )
    response = client.post(url("add-associate", referral), {"kind": "person", "name": "Dee", "details": "Drives a BMW"})
    assert response["Location"] == url("associates", referral)
    assert "Dee" in client.get(url("associates", referral)).content.decode()
    assert client.post(url("associates", referral))["Location"] == url("danger", referral)
    assert client.post(url("danger", referral), {"immediate_danger": "yes"})["Location"] == url("call-999", referral)
    warning = client.get(url("call-999", referral)).content.decode()
    assert "Call 999 now" in warning and "govuk-warning-text" in warning
    assert client.post(url("referrer", referral), {"referrer_role": "DSL", "referrer_phone": "07700 900982"})[
        "Location"
    ] == url("consent", referral)
    assert client.post(url("consent", referral), {"consent": "not_sought"})["Location"] == url("lawful-basis", referral)
    response = client.post(
        url("lawful-basis", referral), {"lawful_basis": "public_task", "consent_reason": "Asking would alert the males"}
    )
    assert response["Location"] == url("check", referral)

    page = client.get(url("check", referral)).content.decode()
    for shown in (
        "Tyler Okafor",
        "Carrying knives",
        "Seen with older males",
        "They look after me",
        "Dee",
        "Urgent",
        "+447700900982",
        "Asking would alert the males",
        "Change",
    ):
        assert shown in page
    response = client.post(url("check", referral), {"submission_key": "abc123"})
    assert response["Location"] == url("confirmation", referral)
    sent = Referral.objects.get(pk=referral.pk)
    assert sent.status == "submitted" and sent.is_urgent and sent.happened_on.isoformat() == "2026-11-03"
    confirmation = client.get(url("confirmation", referral)).content.decode()
    assert "govuk-panel--confirmation" in confirmation and sent.reference in confirmation


def test_a_double_click_on_send_makes_one_referral_and_lands_on_the_same_confirmation(
    users, complete_draft, verified_client
):
    teacher = users["school_practitioner"]
    draft = complete_draft(teacher)
    client = verified_client(teacher)
    key = {"submission_key": "same-form"}
    first, second = client.post(url("check", draft), key), client.post(url("check", draft), key)
    assert first["Location"] == second["Location"] == url("confirmation", draft)
    assert Referral.objects.filter(referrer=teacher).count() == 1
    # A stale form (another key) after sending shows the referral as sent.
    assert client.post(url("check", draft), {"submission_key": "other"})["Location"] == url("detail", draft)


def test_check_your_answers_names_each_missing_answer_with_a_link_and_sends_nothing(users, harm_types, verified_client):
    client = verified_client(users["practitioner"])
    referral = start(client)
    response = client.post(url("check", referral), {"submission_key": "k"})
    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Find or record the child the referral is about",
        "Select at least one type of harm you are worried about",
        "Describe what happened",
        "Say whether anyone is in immediate danger",
        "Say whether the child or family agreed to this referral",
    ):
        assert message in page
    assert url("harm", referral, "?from=check") in page
    assert Referral.objects.get(pk=referral.pk).is_draft


def test_no_harm_type_chosen_gets_a_specific_message_and_changes_nothing(users, complete_draft, verified_client):
    draft = complete_draft(users["practitioner"])
    response = verified_client(users["practitioner"]).post(url("harm", draft), {"harm_types": []})
    assert "Select at least one type of harm you are worried about" in response.content.decode()
    assert [h.code for h in Referral.objects.get(pk=draft.pk).harm_types.all()] == ["cce"]


def test_a_future_date_gets_a_specific_message_and_changes_nothing(users, complete_draft, verified_client):
    draft = complete_draft(users["practitioner"])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = verified_client(users["practitioner"]).post(
        url("what-happened", draft),
        {
            "what_happened": "Changed",
            "happened_on_0": tomorrow.day,
            "happened_on_1": tomorrow.month,
            "happened_on_2": tomorrow.year,
        },
    )
    assert "The date it happened must be today or in the past" in response.content.decode()
    saved = Referral.objects.get(pk=draft.pk)
    assert saved.happened_on is None and saved.what_happened.startswith("Seen getting into a car")


def test_a_missing_lawful_basis_when_consent_is_refused_gets_a_specific_message(users, complete_draft, verified_client):
    draft = complete_draft(users["practitioner"], consent="refused")
    response = verified_client(users["practitioner"]).post(url("lawful-basis", draft), {"consent_reason": ""})
    page = response.content.decode()
    assert "Select the lawful basis for sharing without consent" in page
    assert "Say why consent was refused and why you are sharing anyway" in page
    assert "Schedule 1 paragraph 18" in page
    assert Referral.objects.get(pk=draft.pk).lawful_basis == ""


def test_no_subject_gets_a_specific_message_and_no_draft(users, verified_client):
    response = verified_client(users["practitioner"]).post(reverse("referrals:start"), {})
    assert "Select whether the referral is about a child or about a place" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_new_child_is_recorded_through_search_before_create_and_comes_back_to_the_referral(
    users, harm_types, verified_client
):
    teacher = users["school_practitioner"]
    client = verified_client(teacher)
    referral = start(client)
    back = url("child", referral)
    client.get(reverse("people:create"), {"next": back})
    client.post(reverse("people:create"), {"given_names": "Ruby", "family_name": "Hale", "dob_precision": "exact"})
    # Without a date of birth the user is told records held elsewhere were not checked, and confirms.
    client.post(reverse("people:create-confirm"), {"confirm_new": "on"})
    response = client.post(
        reverse("people:create-details"),
        {"given_names": "Ruby", "family_name": "Hale", "dob_precision": "exact", "sex": "F", "ethnicity": "NK"},
    )
    ruby = Person.objects.get(family_name="Hale")
    assert response["Location"] == f"{back}?person={ruby.reference}"
    assert "Refer Ruby Hale" in client.get(response["Location"]).content.decode()
    client.post(back, {"person": ruby.reference})
    assert Referral.objects.get(pk=referral.pk).person == ruby


def test_a_likely_match_found_before_recording_can_be_used_for_the_referral_instead(
    users, harm_types, child, verified_client
):
    client = verified_client(users["school_practitioner"])
    referral = start(client)
    client.get(reverse("people:create"), {"next": url("child", referral)})
    page = client.post(
        reverse("people:create"),
        {
            "given_names": "Tyler",
            "family_name": "Okafor",
            "date_of_birth_0": "27",
            "date_of_birth_1": "3",
            "date_of_birth_2": "2010",
            "dob_precision": "exact",
        },
    )
    assert f'href="{url("child", referral)}?person={child.reference}"' in page.content.decode()


def test_search_before_create_never_returns_to_another_site(users, verified_client):
    client = verified_client(users["practitioner"])
    client.get(reverse("people:create"), {"next": "https://evil.example/referrals/"})
    client.post(reverse("people:create"), {"given_names": "Ruby", "family_name": "Hale", "dob_precision": "exact"})
    # Without a date of birth the user is told records held elsewhere were not checked, and confirms.
    client.post(reverse("people:create-confirm"), {"confirm_new": "on"})
    response = client.post(
        reverse("people:create-details"),
        {"given_names": "Ruby", "family_name": "Hale", "dob_precision": "exact", "sex": "F", "ethnicity": "NK"},
    )
    assert response["Location"] == reverse("people:detail", args=[Person.objects.get().reference])


def test_a_child_the_practitioner_cannot_see_cannot_be_chosen(users, harm_types, verified_client):
    hidden = Person.objects.create(given_names="Jade", family_name="Pritchard")
    client = verified_client(users["school_practitioner"])
    referral = start(client)
    assert client.post(url("child", referral), {"person": hidden.reference}).status_code == 404
    assert Referral.objects.get(pk=referral.pk).person is None


def test_a_practitioner_refers_a_new_place(users, harm_types, verified_client):
    client = verified_client(users["practitioner"])
    client.post(reverse("referrals:start"), {"subject": "context"})
    referral = Referral.objects.get()
    response = client.post(
        url("new-context", referral),
        {
            "kind": "place",
            "name": "Queens Park skate area",
            "place_type": "park",
            "town": "Crewe",
            "postcode": "cw1 3ab",
            "description": "Older males selling to year 9s after school",
        },
    )
    assert response["Location"] == url("harm", referral)
    place = Context.objects.get()
    assert place.postcode == "CW1 3AB" and place.created_by == users["practitioner"]
    assert Referral.objects.get().context == place
    # Later, another referral finds it by name.
    client.post(reverse("referrals:start"), {"subject": "context"})
    second = Referral.objects.latest("created_at")
    assert "Queens Park skate area" in client.get(url("context", second), {"q": "queens crewe"}).content.decode()
    client.post(url("context", second), {"context": place.reference})
    assert Referral.objects.get(pk=second.pk).context == place


def test_an_online_space_needs_its_platform_or_handle(users, harm_types, verified_client):
    client = verified_client(users["practitioner"])
    client.post(reverse("referrals:start"), {"subject": "context"})
    referral = Referral.objects.get()
    response = client.post(url("new-context", referral), {"kind": "online", "name": "Year 10 group chat"})
    assert "Enter the platform or app, or the account, group or channel" in response.content.decode()
    assert not Context.objects.exists()


def test_another_users_draft_is_not_found(users, complete_draft, verified_client):
    draft = complete_draft(users["school_practitioner"])
    for key in ("practitioner", "coordinator"):
        client = verified_client(users[key])
        assert client.get(url("harm", draft)).status_code == 404
        assert client.get(url("detail", draft)).status_code == 404


def test_a_sent_referrals_questions_lead_to_the_referral_as_sent(users, complete_draft, verified_client):
    teacher = users["school_practitioner"]
    draft = complete_draft(teacher)
    services.submit_referral(teacher, draft)
    client = verified_client(teacher)
    assert client.post(url("what-happened", draft), {"what_happened": "Rewritten"})["Location"] == url("detail", draft)
    assert Referral.objects.get(pk=draft.pk).what_happened.startswith("Seen getting into a car")


def test_the_detail_page_shows_the_meetings_decision_but_not_what_each_agency_brought(
    users, complete_draft, child, verified_client
):
    teacher = users["school_practitioner"]
    sent = services.submit_referral(teacher, complete_draft(teacher)).referral
    coordinator = users["coordinator"]
    meeting = Meeting.objects.create(
        starts_at=timezone.now(), chair=coordinator, created_by=coordinator, status=Meeting.Status.CONFIRMED
    )
    item = AgendaItem.objects.create(
        meeting=meeting,
        person=child,
        referral=sent,
        decision=Decision.OPEN_CASE,
        rationale="Significant CCE indicators across three agencies",
    )
    AgencyContribution.objects.create(
        item=item,
        agency=users["analyst"].agency,
        recorded_by=coordinator,
        text="Police intelligence: the BMW is linked to Dwayne Marsh",
    )
    services.add_information(teacher, sent, "He was absent again on Monday")
    page = verified_client(teacher).get(url("detail", sent)).content.decode()
    assert "Open a harm-outside-the-home case" in page
    assert "Significant CCE indicators across three agencies" in page
    assert "He was absent again on Monday" in page
    assert "Dwayne Marsh" not in page
    assert AuditEvent.objects.filter(action="view", object_id=str(sent.pk), user=teacher).exists()


def test_a_decision_is_not_shown_before_the_meeting_is_confirmed(users, complete_draft, child, verified_client):
    teacher = users["school_practitioner"]
    sent = services.submit_referral(teacher, complete_draft(teacher)).referral
    meeting = Meeting.objects.create(
        starts_at=timezone.now(), chair=users["coordinator"], created_by=users["coordinator"]
    )
    AgendaItem.objects.create(
        meeting=meeting, person=child, referral=sent, decision=Decision.EARLY_HELP, rationale="Draft thinking"
    )
    assert "Draft thinking" not in verified_client(teacher).get(url("detail", sent)).content.decode()


def test_adding_information_to_a_sent_referral(users, complete_draft, verified_client):
    teacher = users["school_practitioner"]
    sent = services.submit_referral(teacher, complete_draft(teacher)).referral
    client = verified_client(teacher)
    empty = client.post(url("add-information", sent), {"text": ""})
    assert "Enter the information you want to add" in empty.content.decode()
    assert client.post(url("add-information", sent), {"text": "Seen again Friday"})["Location"] == url("detail", sent)
    assert sent.additions.get().text == "Seen again Friday"


def test_drafts_and_sent_referrals_are_listed_for_their_referrer(users, complete_draft, verified_client):
    teacher = users["school_practitioner"]
    draft = complete_draft(teacher)
    sent = services.submit_referral(teacher, complete_draft(teacher)).referral
    other = services.submit_referral(users["practitioner"], complete_draft(users["practitioner"])).referral
    page = verified_client(teacher).get(reverse("referrals:list")).content.decode()
    assert f"Continue {draft.reference}" in page and sent.reference in page
    assert other.reference not in page and "All recent referrals" not in page


def test_coordinators_also_see_all_recent_referrals_in_pages_within_a_query_budget(
    users, complete_draft, verified_client, django_assert_max_num_queries
):
    teacher = users["school_practitioner"]
    for _ in range(30):
        services.submit_referral(teacher, complete_draft(teacher))
    client = verified_client(users["coordinator"])
    # A fixed number however many referrals: session, user, the two lists,
    # their people, contexts and harm types, and the one audit event.
    with django_assert_max_num_queries(20):
        page = client.get(reverse("referrals:list")).content.decode()
    assert "All recent referrals" in page and "Page 1 of 2" in page
    assert page.count("/referrals/R-") == 25
    event = AuditEvent.objects.filter(action="list").latest("id")
    assert len(event.detail["referrals"]) == 25


@pytest.mark.parametrize("role", ["manager", "auditor", "agency_admin", "system_admin"])
def test_roles_without_casework_have_no_referrals(role, users, verified_client):
    client = verified_client(users[role])
    assert client.get(reverse("referrals:list")).status_code == 403
    assert client.get(reverse("referrals:start")).status_code == 403


def test_two_sends_of_one_form_at_the_same_moment_make_one_referral(transactional_db, users, complete_draft):
    import threading

    from django.db import connection, connections
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time, so nothing here can race")
    teacher = users["school_practitioner"]
    draft = complete_draft(teacher)
    device = TOTPDevice.objects.get(user=teacher)
    start_together = threading.Barrier(3)
    answers = []

    def send():
        try:
            client = Client()
            client.force_login(teacher)
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
            start_together.wait()
            answers.append(client.post(url("check", draft), {"submission_key": "one-form"})["Location"])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [url("confirmation", draft)] * 3
    assert Referral.objects.filter(referrer=teacher).count() == 1
    assert Referral.objects.get(pk=draft.pk).sharing_decision is not None
    assert SharingDecision.objects.count() == 1


def test_the_referral_page_warns_of_repeat_harm_to_those_who_may_see_the_closed_case(
    users, complete_draft, child, verified_client
):
    from hoth.cases.models import Case
    from hoth.people.models import Involvement

    closed = Case.objects.create(
        person=child,
        lead_professional=users["practitioner"],
        opened_by=users["coordinator"],
        status=Case.Status.CLOSED,
        closed_at=timezone.now() - timedelta(days=335),
    )
    teacher = users["school_practitioner"]
    sent = services.submit_referral(teacher, complete_draft(teacher)).referral
    page = verified_client(users["coordinator"]).get(url("detail", sent)).content.decode()
    assert "Repeat harm:" in page
    assert f'href="{reverse("cases:detail", args=[closed.reference])}"' in page
    assert closed.closed_at.strftime("%-d %B %Y") in page
    # The school no longer works with the child: it sees its own referral, not
    # that the child had a case.
    Involvement.objects.filter(person=child, user=teacher).update(ended_at=timezone.now() - timedelta(minutes=1))
    page = verified_client(teacher).get(url("detail", sent)).content.decode()
    assert sent.reference in page and "Repeat harm" not in page and closed.reference not in page


def test_no_repeat_harm_warning_when_the_case_closed_more_than_12_months_before(
    users, complete_draft, child, verified_client
):
    from hoth.cases.models import Case

    Case.objects.create(
        person=child,
        lead_professional=users["practitioner"],
        opened_by=users["coordinator"],
        status=Case.Status.CLOSED,
        closed_at=timezone.now() - timedelta(days=395),
    )
    teacher = users["school_practitioner"]
    sent = services.submit_referral(teacher, complete_draft(teacher)).referral
    assert "Repeat harm" not in verified_client(users["coordinator"]).get(url("detail", sent)).content.decode()
