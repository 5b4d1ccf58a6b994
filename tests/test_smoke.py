from hoth.audit import log
from hoth.people.models import Person


def test_home_page_greets_a_signed_in_practitioner(users, verified_client):
    client = verified_client(users["practitioner"])
    response = client.get("/")
    assert response.status_code == 200
    assert b"What needs your attention" in response.content


def test_password_alone_does_not_open_the_service(users, client):
    client.force_login(users["practitioner"])
    response = client.get("/")
    assert response.status_code == 302


def test_audit_chain_verifies(users):
    log.record("view", user=users["coordinator"], obj=Person.objects.create(given_names="Amy", family_name="Shaw"))
    assert log.verify().intact
