"""Keeping the directory: who may, adding and changing services, the
reading-age warning, reviews, publishing, and stale entries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hoth.access import policy
from hoth.audit.models import AuditEvent
from hoth.directory import readability
from hoth.directory.models import Service
from hoth.directory.selectors import stale_services

pytestmark = pytest.mark.django_db

EASY = "This is a club for you. You can play games. You can talk to the workers."
HARD = (
    "Our multidisciplinary therapeutic intervention provides comprehensive psychological assessment, "
    "evidence-based individualised treatment and consultation regarding developmental vulnerabilities."
)


def form_data(**changes):
    data = {
        "name": "Sandbach Youth Club",
        "provider": "Cheshire East Youth Service",
        "offers": "Youth club with games and sport",
        "description_adult": "An open-access youth club run by qualified youth workers.",
        "description_child": EASY,
        "needs": ["youth-club", "someone-to-talk-to"],
        "towns": [],
        "other_towns": "Sandbach",
        "age_min": "11",
        "age_max": "19",
        "for_children": "on",
        "for_parents": "on",
        "self_referral": "on",
        "phone": "01632 960123",
        "email": "club@example.org",
        "languages": "English",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("coordinator", True),
        ("system_admin", True),
        ("practitioner", False),
        ("school_practitioner", False),
        ("panel_chair", False),
        ("analyst", False),
        ("manager", False),
        ("auditor", False),
        ("agency_admin", False),
    ],
)
def test_only_coordinators_and_system_administrators_keep_the_directory(users, role, allowed):
    assert policy.can(users[role], "directory.manage") is allowed


def test_practitioner_is_refused_the_staff_pages(users, verified_client, make_service):
    client = verified_client(users["practitioner"])
    service = make_service()
    assert client.get(reverse("services:list")).status_code == 403
    assert client.post(reverse("services:publish", args=[service.pk]), {"publish": "0"}).status_code == 403
    service.refresh_from_db()
    assert service.is_published


def test_coordinator_adds_a_service_and_it_is_audited(users, verified_client):
    client = verified_client(users["coordinator"])
    response = client.post(reverse("services:new"), form_data())
    service = Service.objects.get(name="Sandbach Youth Club")
    assert response.status_code == 302
    assert response.url == reverse("services:detail", args=[service.pk])
    assert service.towns == ["Sandbach"]
    assert service.needs == ["youth-club", "someone-to-talk-to"]
    assert service.updated_by == users["coordinator"]
    assert not service.is_published  # new entries wait for a deliberate publish
    assert (
        AuditEvent.objects.filter(action="create", object_type="directory.Service", object_id=str(service.pk)).count()
        == 1
    )


def test_a_service_must_say_where_it_works(users, verified_client):
    client = verified_client(users["coordinator"])
    response = client.post(reverse("services:new"), form_data(other_towns=""))
    assert response.status_code == 200
    assert "Select the towns it covers, or that it covers the whole area" in response.content.decode()
    assert not Service.objects.exists()


def test_ages_must_be_in_order(users, verified_client):
    client = verified_client(users["coordinator"])
    response = client.post(reverse("services:new"), form_data(age_min="16", age_max="11"))
    assert "The oldest age must be the same as or more than the youngest age" in response.content.decode()
    assert not Service.objects.exists()


def test_reading_age_measure_tells_easy_from_hard_words():
    assert readability.reading_age(EASY) <= readability.MAX_READING_AGE
    assert readability.too_hard_for_children(HARD)


def test_hard_childrens_description_is_warned_about_and_not_yet_saved(users, verified_client):
    client = verified_client(users["coordinator"])
    response = client.post(reverse("services:new"), form_data(description_child=HARD))
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-warning-text" in html
    assert "may be too hard to read" in html
    assert "Save anyway" in html
    assert "There is a problem" not in html  # a warning, not an error
    assert not Service.objects.exists()


def test_save_anyway_saves_the_hard_description_after_the_warning(users, verified_client):
    client = verified_client(users["coordinator"])
    response = client.post(
        reverse("services:new"), form_data(description_child=HARD, reading_age_ack=readability.fingerprint(HARD))
    )
    assert response.status_code == 302
    assert Service.objects.get().description_child == HARD


def test_changing_the_words_after_the_warning_checks_them_again(users, verified_client):
    client = verified_client(users["coordinator"])
    harder = HARD + " Furthermore, comprehensive multiagency safeguarding arrangements apply."
    response = client.post(
        reverse("services:new"), form_data(description_child=harder, reading_age_ack=readability.fingerprint(HARD))
    )
    assert response.status_code == 200
    assert "may be too hard to read" in response.content.decode()
    assert not Service.objects.exists()


def test_easy_description_saves_without_warning(users, verified_client):
    client = verified_client(users["system_admin"])
    assert client.post(reverse("services:new"), form_data()).status_code == 302


def test_edit_keeps_other_fields_and_records_an_update(users, verified_client, make_service):
    service = make_service(towns=["Crewe"])
    client = verified_client(users["coordinator"])
    response = client.post(
        reverse("services:edit", args=[service.pk]),
        form_data(name="Crewe Youth Club", towns=["Crewe"], other_towns="Nantwich"),
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.towns == ["Crewe", "Nantwich"]
    assert service.is_published  # editing does not change publication
    assert AuditEvent.objects.filter(action="update", object_id=str(service.pk)).count() == 1


def test_mark_reviewed_sets_today(users, verified_client, make_service):
    service = make_service(last_reviewed=timezone.localdate() - timedelta(days=500))
    client = verified_client(users["coordinator"])
    client.post(reverse("services:review", args=[service.pk]))
    service.refresh_from_db()
    assert service.last_reviewed == timezone.localdate()
    assert not service.is_stale


def test_publish_and_unpublish(users, verified_client, make_service):
    service = make_service(is_published=False)
    staff = verified_client(users["system_admin"])
    staff.post(reverse("services:publish", args=[service.pk]), {"publish": "1"})
    service.refresh_from_db()
    assert service.is_published
    staff.post(reverse("services:publish", args=[service.pk]), {"publish": "0"})
    service.refresh_from_db()
    assert not service.is_published


def test_stale_services_are_those_not_reviewed_for_twelve_months(make_service):
    today = timezone.localdate()
    old = make_service("Old", last_reviewed=today - timedelta(days=366))
    make_service("Recent", last_reviewed=today - timedelta(days=364))
    old_draft = make_service("Old draft", last_reviewed=today - timedelta(days=800), is_published=False)
    # Published ones first: children can read those.
    assert list(stale_services()) == [old, old_draft]


def test_staff_list_filters_to_stale_entries(users, verified_client, make_service):
    today = timezone.localdate()
    make_service("Old Club", last_reviewed=today - timedelta(days=400))
    make_service("New Club")
    html = verified_client(users["coordinator"]).get(reverse("services:list"), {"show": "stale"}).content.decode()
    assert "Old Club" in html and "New Club" not in html
    assert "Needs review" in html


def test_staff_list_query_budget(users, verified_client, make_service, django_assert_max_num_queries):
    for n in range(40):
        make_service(f"Club {n}")
    client = verified_client(users["coordinator"])
    client.get(reverse("services:list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("services:list"))
    assert "Club 39" in response.content.decode()
