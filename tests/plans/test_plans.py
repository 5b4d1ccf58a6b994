"""The safety and support plan: versions, optimistic locking, actions and
tasks, service referrals, the child-friendly print, and who may do what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoth.access import policy
from hoth.audit.models import AuditEvent
from hoth.cases.models import MissingEpisode
from hoth.concurrent_edits import EditConflict
from hoth.people import services as people_services
from hoth.plans import services
from hoth.plans.models import Plan, PlanAction, PlanVersion, Review, ServiceReferral
from hoth.plans.timeline import events
from hoth.tasks.models import Task
from hoth.tasks.services import complete_task

TODAY = timezone.localdate


def _date_fields(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _plan_post(version, **overrides):
    data = {
        "version": version,
        "goals": "I feel safe walking to school\nI stay in touch with my nan",
        "child_wants": "I want the older boys to leave me alone",
        "child_trusts": "My nan and Mr Evans",
        "family_views": "Mum wants him home by nine",
        **_date_fields("review_date", TODAY() + timedelta(days=28)),
    }
    data.update(overrides)
    return data


def _save(case, user, version=0, **words):
    defaults = dict(
        goals=["Feel safe at school"],
        child_wants="To be left alone",
        child_trusts="My nan",
        family_views="",
        review_date=None,
    )
    defaults.update(words)
    return services.save_plan(case, user=user, read_version=version, **defaults)


# ------------------------------------------------------------------ versions


def test_every_save_keeps_a_version_with_who_and_what_changed(case, users):
    lead = users["practitioner"]
    _save(case, lead)
    plan = _save(case, lead, version=1, child_trusts="My nan and my coach")
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].saved_by == lead and versions[1].what_changed == "Changed who the child trusts"
    assert services.read_snapshot(versions[0])["child_trusts"] == "My nan"
    assert services.read_snapshot(versions[1])["child_trusts"] == "My nan and my coach"
    assert services.read_snapshot(versions[1])["goals"] == ["Feel safe at school"]


def test_the_childs_words_are_stored_encrypted(case, users):
    _save(case, users["practitioner"], child_wants="I want the older boys to leave me alone")
    with connection.cursor() as cursor:
        cursor.execute("SELECT child_wants FROM plans_plan")
        (raw,) = cursor.fetchone()
    assert "older boys" not in raw


def test_a_second_save_from_the_same_version_is_refused_and_changes_nothing(case, users, youth_worker):
    _save(case, users["practitioner"])
    _save(case, youth_worker, version=1, child_trusts="My youth worker")
    with pytest.raises(EditConflict) as conflict:
        _save(case, users["practitioner"], version=1, child_trusts="My coach")
    assert conflict.value.current.version == 2
    plan = Plan.objects.get(case=case)
    assert plan.child_trusts == "My youth worker" and plan.version == 2
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_a_review_date_in_the_past_is_refused(case, users):
    with pytest.raises(ValidationError) as error:
        _save(case, users["practitioner"], review_date=TODAY() - timedelta(days=1))
    assert "review_date" in error.value.error_dict
    assert not PlanVersion.objects.exists()


def test_a_closed_case_plan_cannot_be_changed(case, users):
    case.status = "closed"
    case.save()
    with pytest.raises(ValidationError):
        _save(case, users["practitioner"])


# ------------------------------------------------------------------ two clients


def test_two_practitioners_editing_at_once_the_second_sees_the_conflict_and_loses_nothing(
    case, users, youth_worker, verified_client
):
    lead_client = verified_client(users["practitioner"])
    url = reverse("plans:edit", args=[case.reference])
    assert lead_client.get(url).status_code == 200
    other = Client()
    other.force_login(youth_worker)
    session = other.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=youth_worker).persistent_id
    session.save()
    # Both read version 0; the youth worker saves first.
    first = other.post(url, _plan_post(0, child_trusts="My youth worker Sam"))
    assert first.status_code == 302
    second = lead_client.post(url, _plan_post(0, child_trusts="My coach"))
    assert second.status_code == 200
    page = second.content.decode()
    assert "Someone else changed this plan" in page
    assert "My youth worker Sam" in page  # theirs, shown
    assert "My coach" in page  # mine, still in the form
    assert 'name="version" value="1"' in page
    assert Plan.objects.get(case=case).child_trusts == "My youth worker Sam"
    # Saving again, knowingly, wins.
    third = lead_client.post(url, _plan_post(1, child_trusts="My coach"))
    assert third.status_code == 302
    assert Plan.objects.get(case=case).child_trusts == "My coach"
    assert PlanVersion.objects.filter(plan__case=case).count() == 2


# ------------------------------------------------------------------ actions and tasks


def test_an_action_gives_its_owner_a_task_without_the_childs_name(case, users, youth_worker):
    action = services.add_action(
        case,
        user=users["practitioner"],
        read_version=0,
        what="Weekly mentoring",
        owner=youth_worker,
        due_date=TODAY() + timedelta(days=7),
    )
    task = action.task
    assert task.owner == youth_worker and task.case == case and task.due_date == action.due_date
    assert "Tyler" not in task.title and "Okafor" not in task.title
    assert action.agency == youth_worker.agency
    assert Plan.objects.get(case=case).version == 1


def test_action_status_and_task_status_keep_in_step(case, users, youth_worker):
    lead = users["practitioner"]
    action = services.add_action(
        case,
        user=lead,
        read_version=0,
        what="Weekly mentoring",
        owner=youth_worker,
        due_date=TODAY() + timedelta(days=7),
    )
    new_due = TODAY() + timedelta(days=14)
    services.update_action(action, user=lead, read_version=1, status=PlanAction.Status.DONE, due_date=new_due)
    task = Task.objects.get(pk=action.task_id)
    assert task.status == Task.Status.DONE and task.due_date == new_due and task.completed_at
    services.update_action(action, user=lead, read_version=2, status=PlanAction.Status.IN_PROGRESS, due_date=new_due)
    assert Task.objects.get(pk=action.task_id).status == Task.Status.OPEN


def test_finishing_the_task_finishes_the_action_as_a_new_plan_version(case, users, youth_worker):
    action = services.add_action(
        case,
        user=users["practitioner"],
        read_version=0,
        what="Weekly mentoring",
        owner=youth_worker,
        due_date=TODAY() + timedelta(days=7),
    )
    complete_task(Task.objects.get(pk=action.task_id), user=youth_worker)
    action.refresh_from_db()
    assert action.status == PlanAction.Status.DONE
    plan = Plan.objects.get(case=case)
    assert plan.version == 2
    assert plan.versions.get(number=2).saved_by == youth_worker


def test_an_action_due_in_the_past_is_refused_and_no_task_is_set(case, users, youth_worker):
    with pytest.raises(ValidationError):
        services.add_action(
            case,
            user=users["practitioner"],
            read_version=0,
            what="Late",
            owner=youth_worker,
            due_date=TODAY() - timedelta(days=1),
        )
    assert not Task.objects.exists()


# ------------------------------------------------------------------ service referrals


def test_a_referral_records_each_status_with_its_date(case, users, service):
    lead = users["practitioner"]
    referral = services.refer_to_service(
        case, user=lead, read_version=0, service=service, status=ServiceReferral.Status.PROPOSED, on=TODAY()
    )
    assert referral.referred_on is None
    services.update_referral(referral, user=lead, read_version=1, status="referred", on=TODAY(), note="")
    services.update_referral(referral, user=lead, read_version=2, status="accepted", on=TODAY(), note="")
    services.update_referral(referral, user=lead, read_version=3, status="started", on=TODAY(), note="Tuesdays")
    referral.refresh_from_db()
    assert (referral.status, referral.referred_on, referral.decided_on, referral.started_on) == (
        "started",
        TODAY(),
        TODAY(),
        TODAY(),
    )
    assert Plan.objects.get(case=case).versions.get(number=4).what_changed == "Crewe Youth Hub: started"


def test_a_second_live_referral_to_the_same_service_is_refused(case, users, service):
    services.refer_to_service(
        case, user=users["practitioner"], read_version=0, service=service, status="referred", on=TODAY()
    )
    with pytest.raises(ValidationError):
        services.refer_to_service(
            case, user=users["practitioner"], read_version=1, service=service, status="referred", on=TODAY()
        )
    assert ServiceReferral.objects.count() == 1


# ------------------------------------------------------------------ reviews


def test_a_review_stores_the_numbers_and_counts_missing_episodes_since_the_last(case, users):
    lead = users["practitioner"]
    now = timezone.now()
    for days_ago in (50, 20, 5):
        MissingEpisode.objects.create(person=case.person, recorded_by=lead, started_at=now - timedelta(days=days_ago))
    first = services.record_review(
        case,
        user=lead,
        held_on=TODAY() - timedelta(days=30),
        child_feels_safe=4,
        child_wellbeing=5,
        practitioner_rating=3,
        school_attendance=Decimal("72.5"),
        what_changed="First review",
        next_review_date=TODAY() + timedelta(days=10),
    )
    assert first.missing_episodes_since_last == 1
    assert first.period_start == timezone.localtime(case.opened_at).date()
    second = services.record_review(
        case,
        user=lead,
        held_on=TODAY(),
        child_feels_safe=7,
        child_wellbeing=None,
        practitioner_rating=6,
        school_attendance=None,
        what_changed="Better",
        next_review_date=TODAY() + timedelta(days=42),
    )
    second.refresh_from_db()
    assert second.missing_episodes_since_last == 2
    assert second.period_start == first.held_on
    assert (second.child_feels_safe, second.child_wellbeing, second.practitioner_rating) == (7, None, 6)
    assert first.school_attendance == Decimal("72.5")


def test_a_review_sets_the_plans_next_review_date_as_a_version(case, users):
    _save(case, users["practitioner"])
    services.record_review(
        case,
        user=users["practitioner"],
        held_on=TODAY(),
        child_feels_safe=5,
        child_wellbeing=5,
        practitioner_rating=5,
        school_attendance=None,
        what_changed="Steady",
        next_review_date=TODAY() + timedelta(days=42),
    )
    plan = Plan.objects.get(case=case)
    assert plan.review_date == TODAY() + timedelta(days=42) and plan.version == 2
    assert plan.versions.get(number=2).what_changed.startswith("The review of")


@pytest.mark.parametrize(
    "field, value", [("child_feels_safe", 11), ("practitioner_rating", -1), ("school_attendance", Decimal("101"))]
)
def test_a_review_with_numbers_out_of_range_is_refused(case, users, field, value):
    values = dict(
        held_on=TODAY(),
        child_feels_safe=5,
        child_wellbeing=5,
        practitioner_rating=5,
        school_attendance=None,
        what_changed="x",
        next_review_date=TODAY() + timedelta(days=7),
    )
    values[field] = value
    with pytest.raises(ValidationError) as error:
        services.record_review(case, user=users["practitioner"], **values)
    assert field in error.value.error_dict
    assert not Review.objects.exists()


def test_the_review_form_says_what_is_wrong(case, users, verified_client):
    http = verified_client(users["practitioner"])
    response = http.post(
        reverse("plans:review-new", args=[case.reference]),
        {
            **_date_fields("held_on", TODAY()),
            "child_feels_safe": "12",
            "practitioner_rating": "",
            "what_changed": "",
            **_date_fields("next_review_date", TODAY() + timedelta(days=7)),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The rating must be a whole number from 0 to 10" in page
    assert "Enter your rating from 0 to 10" in page
    assert not Review.objects.exists()


def test_the_review_page_links_to_a_rescreen(case, users, verified_client):
    page = verified_client(users["practitioner"]).get(reverse("plans:review-new", args=[case.reference]))
    assert reverse("screening:rescreen", args=[case.person.reference]) in page.content.decode()


def test_setting_the_review_date_gives_the_lead_a_review_task_that_moves_with_the_date(case, users, youth_worker):
    first, later = TODAY() + timedelta(days=28), TODAY() + timedelta(days=35)
    plan = _save(case, youth_worker, review_date=first)
    task = plan.review_task
    assert (task.owner, task.due_date, task.status) == (users["practitioner"], first, Task.Status.OPEN)
    _save(case, youth_worker, version=1, review_date=later)
    task.refresh_from_db()
    assert task.due_date == later
    assert Task.objects.filter(case=case).count() == 1


def test_recording_the_review_finishes_its_task_and_schedules_the_next(case, users):
    lead = users["practitioner"]
    plan = _save(case, lead, review_date=TODAY() + timedelta(days=1))
    first_task = plan.review_task
    services.record_review(
        case,
        user=lead,
        held_on=TODAY(),
        child_feels_safe=5,
        child_wellbeing=5,
        practitioner_rating=5,
        school_attendance=None,
        what_changed="Steady",
        next_review_date=TODAY() + timedelta(days=42),
    )
    first_task.refresh_from_db()
    assert first_task.status == Task.Status.DONE
    plan.refresh_from_db()
    assert plan.review_task != first_task
    assert (plan.review_task.due_date, plan.review_task.status) == (TODAY() + timedelta(days=42), Task.Status.OPEN)


# ------------------------------------------------------------------ pages and audit


def test_the_child_friendly_plan_shows_my_words_and_how_to_reach_my_helpers_and_is_audited_as_a_print(
    case, users, service, verified_client
):
    lead = users["practitioner"]
    _save(case, lead, child_wants="I want the older boys to leave me alone")
    services.refer_to_service(case, user=lead, read_version=1, service=service, status="referred", on=TODAY())
    response = verified_client(lead).get(reverse("plans:print", args=[case.reference]))
    page = response.content.decode()
    assert "My plan" in page and "I want the older boys to leave me alone" in page
    assert service.description_child in page and service.phone in page
    assert "plans/my-plan.css" in page and "style=" not in page
    event = AuditEvent.objects.filter(action="print").get()
    assert event.person_id == case.person_id


def test_the_plan_page_is_audited_once_with_the_child(case, users, verified_client):
    _save(case, users["practitioner"])
    before = AuditEvent.objects.count()
    response = verified_client(users["practitioner"]).get(reverse("plans:plan", args=[case.reference]))
    assert response.status_code == 200 and "Feel safe at school" in response.content.decode()
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.latest("id").person_id == case.person_id


def test_the_plan_page_keeps_to_a_query_budget(
    case, users, service, youth_worker, verified_client, django_assert_max_num_queries
):
    lead = users["practitioner"]
    _save(case, lead)
    for i in range(5):
        services.add_action(
            case,
            user=lead,
            read_version=1 + i,
            what=f"Action {i}",
            owner=youth_worker,
            due_date=TODAY() + timedelta(days=i),
        )
    services.refer_to_service(case, user=lead, read_version=6, service=service, status="referred", on=TODAY())
    http = verified_client(lead)
    with django_assert_max_num_queries(40):
        assert http.get(reverse("plans:plan", args=[case.reference])).status_code == 200


# ------------------------------------------------------------------ who may


def test_a_school_practitioner_not_working_with_the_child_cannot_see_the_plan(case, users, verified_client):
    response = verified_client(users["school_practitioner"]).get(reverse("plans:plan", args=[case.reference]))
    assert response.status_code in (403, 404)


def test_a_case_team_member_from_another_agency_may_edit_the_plan(case, youth_worker):
    plan = _save(case, youth_worker)
    assert plan.version == 1


def test_a_break_glass_reader_may_see_but_not_change_the_plan(case, users):
    teacher = users["school_practitioner"]
    people_services.break_glass(teacher, case.person, "Missing overnight; need the safety plan now")
    assert policy.can(teacher, "plan.view", case)
    assert not policy.can(teacher, "plan.edit", case)
    with pytest.raises(PermissionDenied):
        _save(case, teacher)


def test_the_timeline_shows_versions_reviews_and_services_only_to_those_who_see_the_plan(case, users, service):
    lead = users["practitioner"]
    _save(case, lead)
    services.refer_to_service(case, user=lead, read_version=1, service=service, status="referred", on=TODAY())
    services.record_review(
        case,
        user=lead,
        held_on=TODAY(),
        child_feels_safe=6,
        child_wellbeing=6,
        practitioner_rating=6,
        school_attendance=None,
        what_changed="Steady",
        next_review_date=TODAY() + timedelta(days=30),
    )
    kinds = sorted(e.kind for e in events(case, lead))
    assert kinds == ["plan", "plan", "plan", "review", "service"]
    assert events(case, users["school_practitioner"]) == []


def test_the_case_page_timeline_carries_the_plans_events(case, users, verified_client):
    _save(case, users["practitioner"])
    page = verified_client(users["practitioner"]).get(reverse("cases:detail", args=[case.reference]))
    assert "Safety and support plan version 1" in page.content.decode()


def test_an_earlier_version_can_be_read_as_it_was(case, users, verified_client):
    _save(case, users["practitioner"], child_trusts="My nan")
    _save(case, users["practitioner"], version=1, child_trusts="My coach")
    page = verified_client(users["practitioner"]).get(reverse("plans:version", args=[case.reference, 1]))
    text = page.content.decode()
    assert "My nan" in text and "My coach" not in text and "The plan is now at version 2" in text


def test_an_action_added_from_a_stale_page_shows_the_conflict_and_sets_no_task(
    case, users, youth_worker, verified_client
):
    _save(case, youth_worker)  # the plan moved on to version 1 after the lead opened the page at 0
    http = verified_client(users["practitioner"])
    response = http.post(
        reverse("plans:action-new", args=[case.reference]),
        {
            "version": 0,
            "what": "Weekly mentoring",
            "owner": youth_worker.pk,
            **_date_fields("due_date", TODAY() + timedelta(days=7)),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Someone else changed this plan" in page
    assert "Weekly mentoring" in page and 'name="version" value="1"' in page
    assert not PlanAction.objects.exists() and not Task.objects.filter(details="Weekly mentoring").exists()


def test_a_referral_without_a_service_says_so_and_changes_nothing(case, users, verified_client):
    http = verified_client(users["practitioner"])
    response = http.post(
        reverse("plans:referral-new", args=[case.reference]),
        {"version": 0, "service": "", "status": "referred", **_date_fields("on", TODAY())},
    )
    assert "Choose a service" in response.content.decode()
    assert not ServiceReferral.objects.exists() and not PlanVersion.objects.exists()
