"""Running a child's case: the team and its sharing decisions, restricted
notes, the contextual assessment, optimistic locking, closure, reopening and
repeat harm, and the case page with its timeline."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoth.access import memo
from hoth.accounts.models import Role
from hoth.cases import casework, selectors
from hoth.cases.flags import repeat_harm
from hoth.cases.models import Case, CaseMember, CaseNote, ContextKind, MissingEpisode
from hoth.cases.services import open_case
from hoth.cases.timeline import TimelineEvent, case_timeline
from hoth.concurrent_edits import EditConflict
from hoth.contexts.models import Context
from hoth.people.models import Involvement, Person, SharingDecision
from hoth.referrals.models import HarmType, Referral
from tests.conftest import make_user

SHARING = {
    "what": "The case summary and plan",
    "why": "He is seen with older males at the station",
    "lawful_basis": SharingDecision.LawfulBasis.PUBLIC_TASK,
    "consent": SharingDecision.Consent.NOT_SOUGHT,
    "consent_reason": "Asking would alert those exploiting him",
}


def signed_in(user):
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    return client


@pytest.fixture
def case(child, users):
    return open_case(person=child, lead_professional=users["practitioner"], opened_by=users["coordinator"])


@pytest.fixture
def officer(agencies):
    return make_user("pc@police.example", agencies["police"], Role.PRACTITIONER, full_name="PC Dan Hale")


@pytest.fixture
def health(agencies):
    return make_user("nurse@health.example", agencies["health"], Role.PRACTITIONER, full_name="Nia Nurse")


# ------------------------------------------------------------------ team


def test_adding_someone_from_another_agency_records_a_sharing_decision_and_lets_them_see_the_child(
    case, users, officer
):
    assert not Person.objects.visible_to(officer).filter(pk=case.person_id).exists()
    member = casework.add_member(
        case, user=users["practitioner"], member=officer, role="Missing persons officer", sharing=SHARING
    )
    decision = member.sharing_decision
    assert decision.shared_with_user == officer and decision.lawful_basis == "public_task"
    assert decision.consent_not_sought_reason == SHARING["consent_reason"]
    assert member.involvement.kind == Involvement.Kind.SHARED and member.involvement.sharing_decision == decision
    assert Person.objects.visible_to(officer).filter(pk=case.person_id).exists()
    assert Case.objects.visible_to(officer).filter(pk=case.pk).exists()


def test_adding_someone_from_another_agency_without_a_sharing_decision_changes_nothing(case, users, officer):
    with pytest.raises(ValidationError) as error:
        casework.add_member(case, user=users["practitioner"], member=officer, role="Officer", sharing={})
    assert set(error.value.message_dict) >= {"what", "why", "consent"}
    assert not CaseMember.objects.exists() and not SharingDecision.objects.filter(shared_with_user=officer).exists()


def test_sharing_without_consent_needs_a_basis_other_than_consent(case, users, officer):
    with pytest.raises(ValidationError) as error:
        casework.add_member(
            case,
            user=users["practitioner"],
            member=officer,
            role="Officer",
            sharing={**SHARING, "lawful_basis": "consent"},
        )
    assert "lawful_basis" in error.value.message_dict


def test_a_colleague_from_the_lead_professionals_agency_joins_without_a_sharing_decision(case, users, agencies):
    colleague = make_user("yw@council.example", agencies["council"], Role.PRACTITIONER)
    member = casework.add_member(case, user=users["practitioner"], member=colleague, role="Youth worker")
    assert member.sharing_decision is None and member.involvement.kind == Involvement.Kind.TEAM


def test_removing_a_member_ends_their_sight_of_the_child(case, users, officer):
    member = casework.add_member(case, user=users["practitioner"], member=officer, role="Officer", sharing=SHARING)
    casework.remove_member(member, user=users["practitioner"])
    assert not Person.objects.visible_to(officer).filter(pk=case.person_id).exists()


def test_only_the_lead_professional_and_coordinators_manage_the_team(case, users, officer, health):
    casework.add_member(case, user=users["coordinator"], member=officer, role="Officer", sharing=SHARING)
    with pytest.raises(PermissionDenied):
        casework.add_member(case, user=officer, member=health, role="Nurse", sharing=SHARING)


def test_team_page_adds_a_police_officer_with_a_sharing_decision(case, users, officer):
    client = signed_in(users["practitioner"])
    response = client.post(
        reverse("cases:team", args=[case.reference]),
        {"member": officer.pk, "role": "Missing persons officer", **SHARING},
    )
    assert response.status_code == 302
    assert CaseMember.objects.get(case=case, user=officer).sharing_decision is not None


def test_team_page_without_sharing_reasons_shows_errors_and_adds_no_one(case, users, officer):
    client = signed_in(users["practitioner"])
    response = client.post(reverse("cases:team", args=[case.reference]), {"member": officer.pk, "role": "Officer"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content and b"Say why they need to know" in response.content
    assert not CaseMember.objects.exists()


# ------------------------------------------------------------------ notes


@pytest.fixture
def restricted_note(case, users, agencies):
    return casework.add_note(
        case,
        user=users["practitioner"],
        happened_on=timezone.localdate(),
        kind=CaseNote.Kind.VISIT,
        who="Tyler and his mum",
        what="SECRET-DISCLOSURE about the older males",
        restricted_to=[agencies["council"]],
    )


def test_restricted_note_is_invisible_to_other_agencies_on_every_page(case, users, officer, restricted_note):
    casework.add_member(case, user=users["practitioner"], member=officer, role="Officer", sharing=SHARING)
    casework.add_note(
        case,
        user=users["practitioner"],
        happened_on=timezone.localdate(),
        kind="phone",
        who="Tyler",
        what="OPEN-NOTE for the whole team",
    )
    pages = [
        reverse(name, args=[case.reference])
        for name in ("cases:detail", "cases:notes", "cases:team", "cases:assessment", "cases:nrm")
    ]
    officer_client, author_client = signed_in(officer), signed_in(users["practitioner"])
    for url in pages:
        page = officer_client.get(url)
        assert page.status_code == 200, url
        assert b"SECRET-DISCLOSURE" not in page.content, url
        assert b"(restricted)" not in page.content, url
    assert b"OPEN-NOTE" in officer_client.get(pages[1]).content
    assert b"SECRET-DISCLOSURE" in author_client.get(pages[1]).content
    # The timeline, too, and the query every other page or API goes through.
    assert not [e for e in case_timeline(case, officer) if "SECRET" in e.description]
    assert not CaseNote.objects.visible_to(officer).filter(pk=restricted_note.pk).exists()
    assert CaseNote.objects.visible_to(users["coordinator"]).filter(pk=restricted_note.pk).exists()


def test_the_authors_agency_always_sees_a_note_restricted_to_others(case, users, agencies):
    note = casework.add_note(
        case,
        user=users["practitioner"],
        happened_on=timezone.localdate(),
        kind="other",
        who="Tyler",
        what="For health",
        restricted_to=[agencies["health"]],
    )
    assert set(note.restricted_to.values_list("pk", flat=True)) == {agencies["health"].pk, agencies["council"].pk}


def test_a_note_needs_who_and_what_and_a_past_date(case, users):
    with pytest.raises(ValidationError) as error:
        casework.add_note(
            case,
            user=users["practitioner"],
            happened_on=timezone.localdate() + timedelta(days=1),
            kind="visit",
            who="",
            what="",
        )
    assert set(error.value.message_dict) == {"happened_on", "who", "what"}


def test_note_text_is_encrypted_at_rest(case, users, restricted_note):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT what FROM cases_casenote WHERE id = %s", [restricted_note.pk])
        assert "SECRET-DISCLOSURE" not in cursor.fetchone()[0]


# ------------------------------------------------------------------ assessment and locking


def _entries(**risks):
    return {kind: {"strengths": "", "risks": risks.get(kind, ""), "contexts": []} for kind in ContextKind.values}


def test_contextual_assessment_keeps_every_version_and_links_contexts(case, users):
    park = Context.objects.create(kind="place", name="Queens Park")
    entries = _entries(neighbourhood="Dealing in the park")
    entries["neighbourhood"]["contexts"] = [park]
    first = casework.save_assessment(
        case,
        user=users["practitioner"],
        read_version=case.version,
        entries=entries,
        primary_context="neighbourhood",
        primary_reason="The park is where he is groomed",
    )
    second = casework.save_assessment(
        case,
        user=users["practitioner"],
        read_version=case.version,
        entries=_entries(peers="New friends"),
        primary_context="peers",
        primary_reason="The peer group now",
    )
    assert (first.number, second.number) == (1, 2)
    assert list(first.entries.get(kind="neighbourhood").contexts.all()) == [park]
    assert selectors.current_assessment(case) == second


def test_a_second_save_with_an_old_version_is_refused(case, users):
    read = case.version
    casework.save_assessment(
        case,
        user=users["practitioner"],
        read_version=read,
        entries=_entries(family="A"),
        primary_context="family",
        primary_reason="First",
    )
    with pytest.raises(EditConflict):
        casework.save_assessment(
            Case.objects.get(pk=case.pk),
            user=users["coordinator"],
            read_version=read,
            entries=_entries(family="B"),
            primary_context="family",
            primary_reason="Second",
        )
    assert case.assessments.count() == 1


def test_two_clients_editing_the_case_the_second_sees_the_conflict_and_keeps_their_input(case, users):
    cse = HarmType.objects.create(code="cse", name="Child sexual exploitation", short_name="CSE")
    cce = HarmType.objects.create(code="cce", name="Child criminal exploitation", short_name="CCE")
    url = reverse("cases:edit", args=[case.reference])
    first, second = signed_in(users["practitioner"]), signed_in(users["coordinator"])
    assert first.get(url).status_code == 200 and second.get(url).status_code == 200
    version = case.version
    lead = users["practitioner"].pk
    assert first.post(url, {"version": version, "lead_professional": lead, "harm_types": [cse.pk]}).status_code == 302
    response = second.post(url, {"version": version, "lead_professional": lead, "harm_types": [cce.pk]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Someone else changed this case" in page
    assert "Child sexual exploitation" in page  # theirs
    assert f'value="{cce.pk}" checked' in page  # mine, still in the form
    assert list(Case.objects.get(pk=case.pk).harm_types.all()) == [cse]
    # Saving again, knowingly, wins.
    assert (
        second.post(url, {"version": version + 1, "lead_professional": lead, "harm_types": [cce.pk]}).status_code == 302
    )
    assert list(Case.objects.get(pk=case.pk).harm_types.all()) == [cce]


def test_assessment_conflict_shows_both_versions_and_loses_nothing(case, users):
    url = reverse("cases:assessment-edit", args=[case.reference])
    data = {
        "version": case.version,
        "primary_context": "family",
        "primary_reason": "Home first",
        "family_risks": "MY-FAMILY-RISK",
    }
    casework.save_assessment(
        case,
        user=users["coordinator"],
        read_version=case.version,
        entries=_entries(school="THEIR-SCHOOL-RISK"),
        primary_context="school",
        primary_reason="School first",
    )
    page = signed_in(users["practitioner"]).post(url, data).content.decode()
    assert "Someone else changed this case" in page
    assert "THEIR-SCHOOL-RISK" in page and "MY-FAMILY-RISK" in page
    assert case.assessments.count() == 1


# ------------------------------------------------------------------ closure and repeat harm


def test_closing_when_moved_needs_a_transfer_summary(case, users):
    with pytest.raises(ValidationError) as error:
        casework.close_case(
            case, user=users["practitioner"], read_version=case.version, reason="moved", outcome_summary="Settled"
        )
    assert set(error.value.message_dict) == {"receiving_area", "transfer_summary"}
    assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN


def test_the_timeline_tells_where_a_child_moved_and_who_closed_the_case(case, users):
    lead = users["practitioner"]
    casework.close_case(
        case,
        user=lead,
        read_version=case.version,
        reason="moved",
        outcome_summary="Settled",
        receiving_area="Stoke-on-Trent",
        transfer_summary="Known associates in Hanley",
    )
    closure = next(e for e in case_timeline(case, lead) if e.kind == "closure")
    assert closure.title == "Case closed: Moved to another area"
    assert closure.description == f"Moved to Stoke-on-Trent. Closed by {lead.full_name}"
    assert closure.agency == lead.agency.name
    # The transfer summary is for the receiving partnership, not the timeline.
    assert "Hanley" not in closure.description


def test_turning_18_needs_the_transition_to_adult_services(case, users):
    with pytest.raises(ValidationError) as error:
        casework.close_case(
            case, user=users["practitioner"], read_version=case.version, reason="turned_18", outcome_summary="Safer"
        )
    assert "adult_services_transition" in error.value.message_dict


def test_close_and_reopen_within_a_year_flags_repeat_harm(case, users):
    casework.close_case(
        case,
        user=users["practitioner"],
        read_version=case.version,
        reason="risk_reduced",
        outcome_summary="No missing episodes for six months",
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and not case.repeat_harm
    casework.reopen_case(case, user=users["coordinator"], read_version=case.version, reason="Found in a trap house")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and case.repeat_harm
    kinds = [e.kind for e in case_timeline(case, users["practitioner"])]
    assert "closure" in kinds and "reopen" in kinds


def test_a_new_referral_within_12_months_of_closure_is_repeat_harm(case, users, child, stranger):
    casework.close_case(
        case, user=users["practitioner"], read_version=case.version, reason="risk_reduced", outcome_summary="Safer"
    )
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(closed_at=now - timedelta(days=100))
    soon = Referral.objects.create(
        person=child,
        referrer=users["practitioner"],
        referrer_agency=users["practitioner"].agency,
        status="submitted",
        submitted_at=now,
    )
    late = Referral.objects.create(
        person=child,
        referrer=users["practitioner"],
        referrer_agency=users["practitioner"].agency,
        status="submitted",
        submitted_at=now + timedelta(days=300),
    )
    other = Referral.objects.create(
        person=stranger,
        referrer=users["practitioner"],
        referrer_agency=users["practitioner"].agency,
        status="submitted",
        submitted_at=now,
    )
    flagged = set(
        Referral.objects.filter(repeat_harm(person_field="person", at_field="submitted_at")).values_list(
            "pk", flat=True
        )
    )
    assert flagged == {soon.pk}
    assert other.pk not in flagged and late.pk not in flagged
    again = open_case(person=child, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    assert again.repeat_harm


# ------------------------------------------------------------------ case page and timeline


def test_timeline_is_newest_first_and_collects_every_kind(case, users):
    now = timezone.now()
    MissingEpisode.objects.create(
        person=case.person, recorded_by=users["coordinator"], started_at=now - timedelta(days=3)
    )
    casework.add_note(
        case,
        user=users["practitioner"],
        happened_on=timezone.localdate() - timedelta(days=1),
        kind="visit",
        who="Tyler",
        what="Home visit",
    )
    events = case_timeline(case, users["practitioner"])
    assert all(isinstance(e, TimelineEvent) for e in events)
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
    assert {"missing", "contact"} <= {e.kind for e in events}


def test_case_page_costs_the_same_queries_however_long_the_timeline(
    case, users, officer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lead = users["practitioner"]
    client = signed_in(lead)
    url = reverse("cases:detail", args=[case.reference])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    casework.add_member(case, user=lead, member=officer, role="Missing persons officer", sharing=SHARING)
    for day in range(30):
        casework.add_note(
            case,
            user=lead,
            happened_on=date.today() - timedelta(days=day),
            kind="phone",
            who="Tyler",
            what=f"Call {day}",
            restricted_to=[lead.agency] if day % 3 else [],
        )
        MissingEpisode.objects.create(
            person=case.person, recorded_by=lead, started_at=timezone.now() - timedelta(days=day, hours=5)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "moj-timeline__item" in page and "Call 29" in page and "Open actions" in page


def test_a_request_asks_once_whom_the_user_works_with_and_forgets_when_that_changes(
    case, users, officer, django_assert_num_queries
):
    from hoth.access import policy

    member = casework.add_member(case, user=users["practitioner"], member=officer, role="Police", sharing=SHARING)
    with memo.remembering():
        assert policy.can(officer, "case.view", case)
        with django_assert_num_queries(2):  # the remembered ids make each scope one query
            assert MissingEpisode.objects.visible_to(officer).filter(person=case.person).count() == 0
            assert Case.objects.visible_to(officer).filter(pk=case.pk).exists()
        casework.remove_member(member, user=users["practitioner"])
        # Ending the involvement (a bulk update, no signal) must not leave the
        # officer seeing the child for the rest of the request.
        assert not Case.objects.visible_to(officer).filter(pk=case.pk).exists()
        assert not policy.can(officer, "case.view", case)


def test_assessment_form_offers_only_places_and_groups_the_user_may_see(case, users):
    mine = Context.objects.create(kind="place", name="Queens Park", created_by=users["practitioner"])
    hidden = Context.objects.create(kind="place", name="ANALYSTS-ONLY trap house", created_by=users["analyst"])
    page = signed_in(users["practitioner"]).get(reverse("cases:assessment-edit", args=[case.reference]))
    assert "Queens Park" in page.content.decode() and "ANALYSTS-ONLY" not in page.content.decode()
    response = signed_in(users["practitioner"]).post(
        reverse("cases:assessment-edit", args=[case.reference]),
        {
            "version": case.version,
            "primary_context": "neighbourhood",
            "primary_reason": "The park",
            "neighbourhood_risks": "Dealing",
            "neighbourhood_contexts": [str(mine.pk), str(hidden.pk)],
        },
    )
    assert response.status_code == 200 and not case.assessments.exists()


def test_the_assessment_links_only_the_places_and_groups_the_reader_may_open(case, users):
    """A coordinator names a place the lead professional cannot open: the lead
    reads its name in the assessment, with no link that would answer 404."""
    mine = Context.objects.create(kind="place", name="Queens Park", created_by=users["practitioner"])
    theirs = Context.objects.create(kind="place", name="Station car park", created_by=users["coordinator"])
    entries = _entries(neighbourhood="Dealing at the station")
    entries["neighbourhood"]["contexts"] = [mine, theirs]
    casework.save_assessment(
        case,
        user=users["coordinator"],
        read_version=case.version,
        entries=entries,
        primary_context="neighbourhood",
        primary_reason="The station first",
    )
    page = signed_in(users["practitioner"]).get(reverse("cases:assessment", args=[case.reference])).content.decode()
    assert f'href="/contexts/{mine.reference}/">Queens Park</a>' in page
    assert "Station car park" in page and f"/contexts/{theirs.reference}/" not in page
    page = signed_in(users["coordinator"]).get(reverse("cases:assessment", args=[case.reference])).content.decode()
    assert f'href="/contexts/{theirs.reference}/">Station car park</a>' in page


def test_the_timeline_escapes_what_people_typed():
    from django.utils import timezone

    from hoth.cases.templatetags.case_timeline import timeline_items

    event = TimelineEvent(
        timezone.now(),
        "contact",
        '<script>alert("t")</script>',
        description="Tom & <b>Jerry</b>",
        url='/cases/K-1/notes/#note-1"><x',
        agency="Police <HQ>",
    )
    html = str(timeline_items([event]))
    assert "<script>" not in html and "<b>" not in html and '"><x' not in html
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in html
    assert "Tom &amp; &lt;b&gt;Jerry&lt;/b&gt;" in html and "by Police &lt;HQ&gt;" in html
    assert html.startswith('<div class="moj-timeline__item">')


def test_case_page_lists_the_latest_missing_episodes_and_counts_them_all(case, users):
    now = timezone.now()
    for day in range(7):
        MissingEpisode.objects.create(
            person=case.person,
            recorded_by=users["coordinator"],
            started_at=now - timedelta(days=10 * day + 1),
            ended_at=now - timedelta(days=10 * day),
        )
    page = signed_in(users["practitioner"]).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "The latest 5 of 7 missing episodes." in page
    table = page[page.index("Latest missing episodes") : page.index("The latest 5 of 7")]
    assert table.count('<tr class="govuk-table__row">') == 1 + 5  # the header and the five newest
