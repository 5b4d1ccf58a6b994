"""The data protection officer's demo in the synthetic partnership: two open
subject access requests (one assembled with its default redactions, one
extended) and the retention review the daily job proposes for the day, with
the archive past its triggers and one record held back by a request. Only
the archive is due: nothing the partnership is working on now.

One tiny partnership is generated for the module (seed and day as
test_pursue.py) and rolled back at the end."""

import pytest
from django.db import transaction
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoth.accounts.models import User
from hoth.information_governance.models import RetentionItem, RetentionReview, SubjectAccessRequest
from hoth.synthetic.generator import demo_email, generate

from .test_pursue import TODAY


@pytest.fixture(scope="module")
def partnership(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            generator = generate("tiny", seed=3, today=TODAY)
            yield generator
            transaction.set_rollback(True)


@pytest.fixture
def generated(partnership, db):
    return partnership


def test_the_demo_officer_has_two_open_requests_one_assembled_and_one_extended(generated):
    requests = list(SubjectAccessRequest.objects.open().order_by("received_on"))
    assert len(requests) == 2
    extended, assembled = requests
    assert extended.extended_to and extended.person and not extended.bundle
    assert assembled.status == "assembled" and assembled.relationship == "parent"
    assert assembled.person.cases.filter(status="open").exists()
    assert assembled.redactions.exists()
    assert all(r.created_by.email == demo_email("auditor") for r in requests)


def test_the_day_s_retention_review_lists_the_archive_and_holds_back_the_requester(generated):
    review = RetentionReview.objects.get(status="proposed")
    items = list(review.items.select_related("rule"))
    assert {i.rule.code for i in items} == {"child", "other_adult"}
    held = [i for i in items if i.status == RetentionItem.Status.HELD]
    extended = SubjectAccessRequest.objects.exclude(extended_to=None).get()
    assert [(i.object_id, i.hold_reason) for i in held] == [
        (extended.person_id, f"Subject access request {extended.reference} is open")
    ]


def test_the_demo_officer_s_home_page_shows_them(generated, client):
    officer = User.objects.get(email=demo_email("auditor"))
    client.force_login(officer)
    session = client.session
    device = TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    session["otp_device_id"] = device.persistent_id
    session.save()
    page = client.get(reverse("home")).content.decode()
    assert "2 open subject access requests" in page and "1 retention review waiting for your decision" in page
