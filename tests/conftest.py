"""Shared fixtures: a small partnership of agencies and one user per role, and
the helpers every test uses to sign in with a real second factor."""

import pytest
from django.core.cache import cache
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from hoth.accounts.models import Agency, AgencyType, Role, RoleAssignment, Team, User
from hoth.audit import triggers

PASSWORD = "correct horse battery staple"

# Hypothesis's per-example deadline is wall-clock time: on a busy CI machine it
# fails correct code. The examples are still bounded by their number.
hypothesis_settings.register_profile("hoth", deadline=None)
hypothesis_settings.load_profile("hoth")


@pytest.fixture(autouse=True)
def _empty_process_cache():
    """What a process keeps for a few minutes (name variants, bank holidays)
    must not carry one test's rows into the next: the rows are rolled back,
    the cache is not."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _audit_checkpoints_of_this_test_only(settings, tmp_path):
    """Each test keeps its audit checkpoints apart: never the checkout's own
    .local/audit-checkpoints, which record the development database."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture(autouse=True)
def _audit_triggers_between_transactional_tests(request):
    """Django empties every table after a transactional test (browser tests use
    one). The append-only triggers would rightly refuse that, so they are lifted
    only for the clean-up and put back for the next test."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    triggers.install(connection)
    yield
    triggers.remove(connection)


def make_user(email, agency, *roles, teams=(), full_name=None, enrol=True, **fields):
    user = User.objects.create_user(
        email=email, password=PASSWORD, agency=agency, full_name=full_name or email.split("@")[0].title(), **fields
    )
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role)
    user.teams.set(teams)
    if enrol:
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return User.objects.get(pk=user.pk)


def current_code(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def agencies(db):
    return {
        "police": Agency.objects.create(name="Cheshire Constabulary", type=AgencyType.POLICE),
        "council": Agency.objects.create(
            name="Cheshire East Council Children's Services", type=AgencyType.CHILDRENS_SOCIAL_CARE
        ),
        "school": Agency.objects.create(name="Crewe High School", type=AgencyType.EDUCATION, town="Crewe"),
        "health": Agency.objects.create(name="Mid Cheshire Hospitals NHS Foundation Trust", type=AgencyType.HEALTH),
        "partnership": Agency.objects.create(
            name="Cheshire East Safeguarding Children Partnership", type=AgencyType.PARTNERSHIP
        ),
    }


@pytest.fixture
def team(agencies):
    return Team.objects.create(agency=agencies["council"], name="Harm Outside the Home Team")


@pytest.fixture
def users(agencies, team):
    """One user per role, plus a second practitioner in another agency."""
    return {
        "practitioner": make_user("prac@council.example", agencies["council"], Role.PRACTITIONER, teams=[team]),
        "school_practitioner": make_user("teacher@school.example", agencies["school"], Role.PRACTITIONER),
        "coordinator": make_user("coord@council.example", agencies["council"], Role.COORDINATOR),
        "analyst": make_user("analyst@police.example", agencies["police"], Role.ANALYST),
        "panel_chair": make_user("chair@partnership.example", agencies["partnership"], Role.PANEL_CHAIR),
        "manager": make_user("manager@partnership.example", agencies["partnership"], Role.MANAGER),
        "auditor": make_user("dpo@council.example", agencies["council"], Role.AUDITOR),
        "agency_admin": make_user("admin@school.example", agencies["school"], Role.AGENCY_ADMIN),
        "system_admin": make_user("sysadmin@partnership.example", agencies["partnership"], Role.SYSTEM_ADMIN),
    }


def verified_client_for(client, user):
    """`client` signed in as `user` with password and second factor."""
    client.force_login(user)
    session = client.session
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def verified_client(client):
    """Returns sign_in(user): the Django test client signed in with password and second factor."""
    return lambda user: verified_client_for(client, user)


def run_queued_jobs(allow_failures=False):
    """Run every queued background job now, through django_tasks_db's own
    worker and database backend, in this process (so inside the test's
    transaction). A job that crashed fails the test with its traceback,
    unless the test expects it to."""
    from unittest import mock

    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    before = set(DBTaskResult.objects.failed().values_list("id", flat=True))
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    # The worker closes connections it thinks stale between jobs; the test's
    # connection holds the test's transaction, so it must stay open.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()
    crashed = list(DBTaskResult.objects.failed().exclude(id__in=before))
    if crashed and not allow_failures:
        raise AssertionError("A background job crashed:\n" + "\n".join(task.traceback for task in crashed))
    return crashed


@pytest.fixture
def run_jobs(db):
    return run_queued_jobs
