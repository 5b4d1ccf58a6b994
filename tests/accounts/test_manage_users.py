"""Administrators manage the accounts of their own agency (system
administrators, everyone's); every change is audited."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoth.accounts import services
from hoth.accounts.models import RecoveryCodes, Role, Team, User
from hoth.audit.models import AuditEvent
from tests.conftest import PASSWORD, make_user


def admin_events():
    return list(AuditEvent.objects.filter(action="admin").order_by("id"))


@pytest.fixture
def school_team(agencies):
    return Team.objects.create(agency=agencies["school"], name="Pastoral team")


def test_users_page_is_only_for_administrators(users, verified_client):
    assert verified_client(users["practitioner"]).get(reverse("manage:users")).status_code == 403
    assert verified_client(users["agency_admin"]).get(reverse("manage:users")).status_code == 200


def test_agency_admin_lists_only_their_own_agency(users, verified_client):
    response = verified_client(users["agency_admin"]).get(reverse("manage:users"))
    page = response.content.decode()
    assert "teacher@school.example" in page and "admin@school.example" in page
    assert "prac@council.example" not in page and "sysadmin@partnership.example" not in page
    listed = AuditEvent.objects.get(action="list")
    assert sorted(listed.detail["user_ids"]) == sorted([users["school_practitioner"].pk, users["agency_admin"].pk])


def test_system_admin_lists_everyone_and_filters_by_agency_and_role(users, agencies, verified_client):
    client = verified_client(users["system_admin"])
    page = client.get(reverse("manage:users")).content.decode()
    assert all(u.email in page for u in users.values())
    page = client.get(
        reverse("manage:users"), {"agency": agencies["council"].pk, "role": "practitioner"}
    ).content.decode()
    assert "prac@council.example" in page
    assert "coord@council.example" not in page and "teacher@school.example" not in page


def test_user_list_searches_names_and_email_addresses(users, verified_client):
    client = verified_client(users["system_admin"])
    page = client.get(reverse("manage:users"), {"q": "COORD"}).content.decode()
    assert "coord@council.example" in page and "prac@council.example" not in page
    page = client.get(reverse("manage:users"), {"q": "police.example"}).content.decode()
    assert "analyst@police.example" in page and "coord@council.example" not in page


def test_user_list_sorts_by_the_chosen_column(users, verified_client):
    client = verified_client(users["system_admin"])
    page = client.get(reverse("manage:users"), {"sort": "email", "order": "descending"}).content.decode()
    emails = re.findall(r'<td class="govuk-table__cell">([^<@]+@[^<]+)</td>', page)
    assert emails == sorted(emails, reverse=True) and len(emails) == len(users)
    assert 'aria-sort="descending"' in page


def test_user_list_filter_with_bad_input_says_so(users, verified_client):
    response = verified_client(users["system_admin"]).get(reverse("manage:users"), {"agency": "999999"})
    assert b"Choose an agency from the list" in response.content


def test_user_list_query_count_does_not_grow_with_the_number_of_users(
    users, agencies, verified_client, django_assert_max_num_queries
):
    # Session, user, device, roles; count, page, roles, lockouts, agencies; the
    # audit event (with PostgreSQL's chain lock) and the session save.
    budget = 18
    client = verified_client(users["system_admin"])
    with django_assert_max_num_queries(budget):
        client.get(reverse("manage:users"))
    for i in range(40):
        make_user(f"extra{i}@council.example", agencies["council"], Role.PRACTITIONER, Role.ANALYST)
    with django_assert_max_num_queries(budget):
        response = client.get(reverse("manage:users"))
    assert response.content.count(b"extra") >= 40


def test_agency_admin_cannot_see_or_change_another_agencys_user(users, verified_client):
    client = verified_client(users["agency_admin"])
    other = users["practitioner"]
    assert client.get(reverse("manage:user", args=[other.pk])).status_code == 404
    for name in ("manage:user-edit", "manage:user-deactivate", "manage:user-reset-second-factor", "manage:user-unlock"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
        assert client.post(reverse(name, args=[other.pk]), {"full_name": "Hacked"}).status_code == 404
    other.refresh_from_db()
    assert other.is_active and other.full_name != "Hacked"
    assert TOTPDevice.objects.filter(user=other).exists()
    assert not admin_events()


def test_agency_admin_cannot_manage_a_system_admin_in_their_own_agency(users, agencies, verified_client):
    boss = make_user("boss@school.example", agencies["school"], Role.SYSTEM_ADMIN)
    client = verified_client(users["agency_admin"])
    # System administrators are managed only by their peers: not listed, not reachable.
    assert b"boss@school.example" not in client.get(reverse("manage:users")).content
    assert client.get(reverse("manage:user", args=[boss.pk])).status_code == 404
    for name in ("manage:user-edit", "manage:user-deactivate", "manage:user-reset-second-factor", "manage:user-unlock"):
        assert client.get(reverse(name, args=[boss.pk])).status_code == 404
        assert client.post(reverse(name, args=[boss.pk])).status_code == 404
    boss.refresh_from_db()
    assert boss.is_active


def test_agency_admin_creates_a_user_in_their_own_agency_only(users, agencies, school_team, verified_client):
    client = verified_client(users["agency_admin"])
    form = client.get(reverse("manage:user-create")).content.decode()
    assert 'value="system_admin"' not in form
    response = client.post(
        reverse("manage:user-create"),
        {
            "email": "New.Teacher@School.example",
            "full_name": "Nia Teacher",
            "job_title": "Designated safeguarding lead",
            # An agency administrator cannot choose another agency, whatever the form says.
            "agency": agencies["police"].pk,
            "teams": [school_team.pk],
            "roles": ["practitioner"],
        },
    )
    user = User.objects.get(email="new.teacher@school.example")
    assert response["Location"] == reverse("manage:user", args=[user.pk])
    assert user.agency == agencies["school"] and user.roles == ["practitioner"]
    assert list(user.teams.all()) == [school_team]
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = admin_events()[-1]
    assert event.detail["change"] == "user.create" and event.object_id == str(user.pk)
    assert event.user_id == users["agency_admin"].pk
    # They are emailed a link to choose their own password.
    assert mail.outbox[-1].to == [user.email]
    assert "/account/password-reset/" in mail.outbox[-1].body


def test_agency_admin_cannot_grant_system_admin(users, verified_client):
    client = verified_client(users["agency_admin"])
    response = client.post(
        reverse("manage:user-create"),
        {
            "email": "sneaky@school.example",
            "full_name": "Sneaky",
            "roles": ["system_admin"],
        },
    )
    assert response.status_code == 200
    assert b"Choose roles from the list" in response.content
    assert not User.objects.filter(email="sneaky@school.example").exists()
    target = users["school_practitioner"]
    response = client.post(
        reverse("manage:user-edit", args=[target.pk]),
        {
            "email": target.email,
            "full_name": target.full_name,
            "roles": ["practitioner", "system_admin"],
        },
    )
    assert b"Choose roles from the list" in response.content
    target.refresh_from_db()
    assert target.roles == ["practitioner"]
    assert not admin_events()


def test_system_admin_can_grant_system_admin_in_any_agency(users, agencies, verified_client):
    client = verified_client(users["system_admin"])
    client.post(
        reverse("manage:user-create"),
        {
            "email": "deputy@police.example",
            "full_name": "Deputy",
            "agency": agencies["police"].pk,
            "roles": ["system_admin", "auditor"],
        },
    )
    assert User.objects.get(email="deputy@police.example").roles == ["auditor", "system_admin"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"email": ""}, b"Enter their email address"),
        ({"email": "not-an-email"}, b"Enter an email address in the correct format"),
        ({"email": "prac@council.example"}, b"An account with this email address already exists"),
        ({"full_name": ""}, b"Enter their full name"),
        ({"roles": []}, b"Choose at least one role"),
        ({"roles": ["wizard"]}, b"Choose roles from the list"),
        ({"agency": ""}, b"Choose their agency"),
        ({"teams": ["999999"]}, b"Choose teams from the list"),
    ],
)
def test_bad_input_when_adding_a_user_gets_a_specific_error_and_changes_nothing(
    users, agencies, verified_client, change, message
):
    client = verified_client(users["system_admin"])
    before = User.objects.count()
    data = {
        "email": "fresh@council.example",
        "full_name": "Fresh",
        "agency": agencies["council"].pk,
        "roles": ["practitioner"],
        **change,
    }
    response = client.post(reverse("manage:user-create"), data)
    assert response.status_code == 200
    assert message in response.content and b"govuk-error-summary" in response.content
    assert User.objects.count() == before
    assert not admin_events()


def test_teams_must_belong_to_the_users_agency(users, agencies, school_team, verified_client):
    client = verified_client(users["system_admin"])
    response = client.post(
        reverse("manage:user-create"),
        {
            "email": "fresh@council.example",
            "full_name": "Fresh",
            "agency": agencies["council"].pk,
            "roles": ["practitioner"],
            "teams": [school_team.pk],
        },
    )
    assert b"Choose only teams in the agency you chose" in response.content
    assert not User.objects.filter(email="fresh@council.example").exists()


def test_editing_a_user_changes_details_roles_and_teams_and_audits_what_changed(users, team, verified_client):
    client = verified_client(users["system_admin"])
    target = users["coordinator"]
    response = client.post(
        reverse("manage:user-edit", args=[target.pk]),
        {
            "email": target.email,
            "full_name": "Corinne Ordinator",
            "job_title": "Exploitation coordinator",
            "agency": target.agency_id,
            "teams": [team.pk],
            "roles": ["coordinator", "panel_chair"],
        },
    )
    assert response["Location"] == reverse("manage:user", args=[target.pk])
    target = User.objects.get(pk=target.pk)
    assert target.full_name == "Corinne Ordinator" and target.roles == ["coordinator", "panel_chair"]
    event = admin_events()[-1]
    assert event.detail == {
        "change": "user.update",
        "fields": ["full_name", "job_title"],
        "roles_added": ["panel_chair"],
        "roles_removed": [],
        "teams_added": [team.pk],
        "teams_removed": [],
    }
    # Ids and names of fields only: never the values typed.
    assert "Corinne" not in str(event.detail)


def test_deactivating_ends_access_and_reactivating_restores_it(users, verified_client, client):
    target = users["school_practitioner"]
    admin = verified_client(users["agency_admin"])
    assert b"Deactivate" in admin.get(reverse("manage:user-deactivate", args=[target.pk])).content
    admin.post(reverse("manage:user-deactivate", args=[target.pk]))
    target.refresh_from_db()
    assert not target.is_active
    admin.post("/account/sign-out/")
    assert client.post("/account/sign-in/", {"email": target.email, "password": PASSWORD}).status_code == 200
    admin = verified_client(users["agency_admin"])
    admin.post(reverse("manage:user-reactivate", args=[target.pk]))
    target.refresh_from_db()
    assert target.is_active
    assert [e.detail["change"] for e in admin_events()] == ["user.deactivate", "user.reactivate"]


def test_administrator_cannot_deactivate_themselves(users, verified_client):
    me = users["agency_admin"]
    response = verified_client(me).post(reverse("manage:user-deactivate", args=[me.pk]))
    assert b"You cannot deactivate your own account" in response.content
    me.refresh_from_db()
    assert me.is_active


@pytest.mark.parametrize("role", ["agency_admin", "system_admin"])
def test_administrators_cannot_remove_their_own_administrator_role(users, verified_client, role):
    me = users[role]
    response = verified_client(me).post(
        reverse("manage:user-edit", args=[me.pk]),
        {
            "email": me.email,
            "full_name": me.full_name,
            "job_title": "",
            "agency": me.agency_id,
            "roles": ["practitioner"],
        },
    )
    assert response.status_code == 200
    assert (
        "You cannot remove your own administrator role. Ask another administrator to do it" in response.content.decode()
    )
    assert User.objects.get(pk=me.pk).roles == [role]
    assert admin_events() == []


def test_the_service_refuses_a_self_demotion_whatever_the_form_says(users):
    me = users["system_admin"]
    with pytest.raises(PermissionDenied):
        services.update_user(
            me, me, email=me.email, full_name=me.full_name, job_title="", agency=me.agency, teams=[], roles=["manager"]
        )
    assert User.objects.get(pk=me.pk).roles == ["system_admin"]


def test_resetting_the_second_factor_makes_the_user_enrol_again(users, verified_client, client):
    target = users["school_practitioner"]
    services.replace_recovery_codes(target)
    verified_client(users["agency_admin"]).post(reverse("manage:user-reset-second-factor", args=[target.pk]))
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not RecoveryCodes.objects.filter(user=target).exists()
    assert admin_events()[-1].detail == {"change": "user.reset_second_factor", "devices_removed": 2}
    client.post("/account/sign-out/")
    response = client.post("/account/sign-in/", {"email": target.email, "password": PASSWORD})
    assert response["Location"] == reverse("accounts:enrol")


def test_unlocking_a_locked_account_lets_them_sign_in_again(users, verified_client, client):
    target = users["school_practitioner"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/account/sign-in/", {"email": target.email, "password": "wrong wrong wrong"}, REMOTE_ADDR="10.1.1.1"
        )
    assert (
        client.post(
            "/account/sign-in/", {"email": target.email, "password": PASSWORD}, REMOTE_ADDR="10.2.2.2"
        ).status_code
        == 429
    )
    admin = verified_client(users["agency_admin"])
    page = admin.get(reverse("manage:users")).content.decode()
    assert "Locked" in page
    assert b"This account is locked" in admin.get(reverse("manage:user", args=[target.pk])).content
    admin.post(reverse("manage:user-unlock", args=[target.pk]))
    assert not AccessAttempt.objects.filter(username=target.email).exists()
    assert admin_events()[-1].detail["change"] == "user.unlock"
    admin.post("/account/sign-out/")
    response = client.post("/account/sign-in/", {"email": target.email, "password": PASSWORD}, REMOTE_ADDR="10.2.2.2")
    assert response["Location"] == reverse("accounts:second-factor")


def test_user_detail_view_is_audited(users, verified_client):
    target = users["school_practitioner"]
    verified_client(users["agency_admin"]).get(reverse("manage:user", args=[target.pk]))
    event = AuditEvent.objects.get(action="view")
    assert event.object_type == "accounts.User" and event.object_id == str(target.pk)


def test_visible_to_on_users_delegates_to_the_policy(users):
    assert set(User.objects.visible_to(users["agency_admin"])) == {users["school_practitioner"], users["agency_admin"]}
    assert not User.objects.visible_to(users["practitioner"]).exists()
    assert User.objects.visible_to(users["system_admin"]).count() == len(users)


def test_bad_input_when_editing_a_user_gets_a_specific_error_and_changes_nothing(users, verified_client):
    target = users["school_practitioner"]
    client = verified_client(users["agency_admin"])
    response = client.post(
        reverse("manage:user-edit", args=[target.pk]),
        {
            "email": "admin@school.example",
            "full_name": "",
            "roles": ["practitioner"],
        },
    )
    assert b"Enter their full name" in response.content
    assert b"An account with this email address already exists" in response.content
    assert User.objects.get(pk=target.pk).full_name == target.full_name
    assert not admin_events()
