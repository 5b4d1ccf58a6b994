"""Emergency access: a casework user who is not working with a child can see
the record only by giving a reason; it is audited, the lead professional is
told, and it runs out."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hoth.access.models import BreakGlass
from hoth.accounts.models import Role
from hoth.audit.models import AuditEvent
from hoth.notifications.models import Notification
from hoth.people.models import Involvement
from tests.conftest import make_user

REASON = "Police called: child reported missing, need the school and address now"


@pytest.fixture
def child(users, make_person, lead_professional):
    person = make_person("Kayleigh", "Moss", sensitive_notes="Known to go to Manchester")
    Involvement.objects.create(person=person, user=lead_professional, kind=Involvement.Kind.LEAD_PROFESSIONAL)
    return person


@pytest.fixture
def lead_professional(agencies):
    return make_user("lead@council.example", agencies["council"], Role.PRACTITIONER, full_name="Lena Lead")


def test_a_practitioner_not_working_with_the_child_is_asked_for_a_reason_not_shown_the_record(
    users, verified_client, child
):
    response = verified_client(users["school_practitioner"]).get(f"/people/{child.reference}/")
    assert response.status_code == 403
    content = response.content.decode()
    assert "You are not working with this child" in content
    assert "Kayleigh" not in content and "Moss" not in content and "Manchester" not in content


def test_emergency_access_needs_a_reason(users, verified_client, child):
    response = verified_client(users["school_practitioner"]).post(
        f"/people/{child.reference}/emergency-access/", {"reason": ""}
    )
    assert "Enter why you need to see this record now" in response.content.decode()
    assert not BreakGlass.objects.exists()
    assert not AuditEvent.objects.filter(action="break_glass").exists()
    assert not Notification.objects.exists()


def test_emergency_access_is_audited_tells_the_lead_professional_and_opens_the_record(
    users, verified_client, child, lead_professional
):
    client = verified_client(users["school_practitioner"])
    response = client.post(f"/people/{child.reference}/emergency-access/", {"reason": REASON})
    assert response.url == f"/people/{child.reference}/"
    event = AuditEvent.objects.get(action="break_glass")
    assert (event.person_id, event.reason, event.user_id) == (child.pk, REASON, users["school_practitioner"].pk)
    [note] = Notification.objects.filter(user=lead_professional)
    assert "Kayleigh" not in note.subject and "Moss" not in note.subject
    assert note.url == f"/people/{child.reference}/"
    page = client.get(f"/people/{child.reference}/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Kayleigh Moss" in content
    assert "You are seeing this record through emergency access until" in content


def test_a_lead_professional_whose_involvement_ended_is_not_told(users, verified_client, child, lead_professional):
    Involvement.objects.filter(user=lead_professional).update(ended_at=timezone.now() - timedelta(days=1))
    verified_client(users["school_practitioner"]).post(
        f"/people/{child.reference}/emergency-access/", {"reason": REASON}
    )
    assert not Notification.objects.exists()


def test_emergency_access_runs_out(users, verified_client, child):
    client = verified_client(users["school_practitioner"])
    client.post(f"/people/{child.reference}/emergency-access/", {"reason": REASON})
    BreakGlass.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(f"/people/{child.reference}/")
    assert response.status_code == 403
    assert "You are not working with this child" in response.content.decode()


@pytest.mark.parametrize("role", ["manager", "auditor", "agency_admin", "system_admin"])
def test_roles_without_casework_get_a_plain_refusal_and_no_way_to_break_glass(users, verified_client, child, role):
    client = verified_client(users[role])
    response = client.get(f"/people/{child.reference}/")
    assert response.status_code == 403
    assert "You are not working with this child" not in response.content.decode()
    client.post(f"/people/{child.reference}/emergency-access/", {"reason": REASON})
    assert not BreakGlass.objects.exists()


def test_someone_who_can_already_see_the_record_is_not_offered_emergency_access(users, verified_client, child):
    client = verified_client(users["coordinator"])
    assert client.get(f"/people/{child.reference}/").status_code == 200
    client.post(f"/people/{child.reference}/emergency-access/", {"reason": REASON})
    assert not BreakGlass.objects.exists()
