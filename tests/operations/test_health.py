"""The health check answers whether the service can serve, and says nothing else."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from hoth.audit.models import AuditEvent


@pytest.mark.django_db
def test_the_health_check_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_health_check_answers_503_when_the_database_does_not(client):
    with mock.patch("hoth.home.health.connection.cursor", side_effect=OperationalError("server closed")):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


@pytest.mark.django_db
def test_the_health_check_only_reads(client):
    assert client.post(reverse("health")).status_code == 405
