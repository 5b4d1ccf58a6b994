"""The chain is keyed: each hash is an HMAC under an audit key kept outside the
database, so someone who can change the database, and has the code, but not the
key, cannot change an event and recompute the chain after it. Keys rotate
without re-signing history; events from before the keys verify, but only as the
start of the chain."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from hoth import settings as hoth_settings
from hoth.audit import keys, log
from hoth.audit.models import AuditEvent
from hoth.people.models import Person

from . import attacker
from .conftest import KEY_1, KEY_2
from .legacy import write_legacy_event


def run_verify_audit(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def events(users, key_1):
    person = Person.objects.create(given_names="Kayleigh", family_name="Brennan")
    coordinator = users["coordinator"]
    return [
        log.record("sign_in", user=coordinator),
        log.record("view", user=coordinator, obj=person),
        log.record("update", user=coordinator, obj=person, reason="New address from school"),
        log.record("search", user=coordinator, detail={"query": "Brennan"}, people=[person]),
        log.record("sign_out", user=coordinator),
    ]


# ---------------------------------------------------------------- the key


def test_each_event_names_the_key_its_hash_is_an_hmac_under(events):
    stored = AuditEvent.objects.get(pk=events[1].pk)
    assert stored.key_id == "k1"
    assert stored.hash == log.keyed_hash(stored, KEY_1)
    assert stored.hash != log.legacy_hash(stored)


def test_the_key_id_is_covered_by_the_hash(events):
    stored = AuditEvent.objects.get(pk=events[1].pk)
    stored.key_id = "k2"
    assert log.keyed_hash(stored, KEY_1) != stored.hash


def test_an_event_changed_and_the_chain_recomputed_with_the_old_unkeyed_hash_is_found(events):
    target = events[2]
    attacker.change_and_recompute(target, log.legacy_hash, None, reason="Routine check")
    result = log.verify()
    assert result.kind == "rebuilt"
    assert result.first_broken.pk == target.pk
    assert "unkeyed" in result.problem
    code, out, err = run_verify_audit()
    assert code == 1
    assert f"event #{target.pk}" in err
    assert "Problem: recomputed" in err
    assert "intact" not in out


def test_an_event_changed_and_the_chain_recomputed_with_a_wrong_key_is_found(events):
    target = events[2]
    attacker.change_and_recompute(target, attacker.with_wrong_key, "k1", reason="Routine check")
    result = log.verify()
    assert result.kind == "altered"
    assert result.first_broken.pk == target.pk
    code, out, err = run_verify_audit()
    assert code == 1
    assert "Problem: altered" in err
    assert "intact" not in out


def test_an_event_recomputed_under_a_key_id_of_the_attackers_choosing_cannot_be_passed_off(events):
    target = events[2]
    attacker.change_and_recompute(target, attacker.with_wrong_key, "theirs", reason="Routine check")
    result = log.verify()
    assert result.kind == "unverifiable"
    assert result.first_broken.pk == target.pk
    code, out, err = run_verify_audit()
    assert code == 1
    assert "could not be checked" in err
    assert "'theirs'" in err
    assert "intact" not in out


# ---------------------------------------------------------------- rotation


def test_events_under_an_old_and_a_new_key_verify_with_both_configured(users, settings):
    settings.AUDIT_KEYS = {"k1": KEY_1}
    first = [log.record("view", user=users["analyst"], detail={"n": n}) for n in range(3)]
    settings.AUDIT_KEYS = {"k2": KEY_2, "k1": KEY_1}  # the new key first: it signs
    second = [log.record("view", user=users["analyst"], detail={"n": n}) for n in range(3)]
    assert [AuditEvent.objects.get(pk=e.pk).key_id for e in first + second] == ["k1"] * 3 + ["k2"] * 3
    result = log.verify()
    assert result.intact, result.problem
    assert result.checked == 6
    code, out, err = run_verify_audit()
    assert code == 0
    assert "intact: 6 events checked" in out


def test_with_the_old_key_removed_verify_says_it_cannot_check_not_that_the_log_is_intact(users, settings):
    settings.AUDIT_KEYS = {"k1": KEY_1}
    old = log.record("view", user=users["analyst"])
    settings.AUDIT_KEYS = {"k2": KEY_2, "k1": KEY_1}
    log.record("view", user=users["analyst"])
    settings.AUDIT_KEYS = {"k2": KEY_2}
    result = log.verify()
    assert not result.intact
    assert result.kind == "unverifiable"
    assert result.first_broken.pk == old.pk
    code, out, err = run_verify_audit()
    assert code == 1
    assert "could not be checked" in err
    assert "NOT known to be intact" in err
    assert "'k1'" in err
    assert "intact:" not in out


# ---------------------------------------------------------------- events from before the keys


def test_a_log_begun_before_the_keys_verifies_with_its_unkeyed_events_first(users, key_1):
    legacy = [write_legacy_event(), write_legacy_event(action="search")]
    keyed = [log.record("view", user=users["coordinator"]) for _ in range(2)]
    assert keyed[0].previous_hash == legacy[-1].hash
    result = log.verify(batch_size=1)
    assert result.intact, result.problem
    assert result.checked == 4


def test_an_unkeyed_event_after_a_keyed_one_is_tampering(users, key_1):
    write_legacy_event()
    log.record("view", user=users["coordinator"])
    forged = write_legacy_event(actor="someone@else.example")
    result = log.verify()
    assert result.kind == "rebuilt"
    assert result.first_broken.pk == forged.pk


def test_an_unkeyed_event_altered_is_still_found(users, key_1):
    first = write_legacy_event()
    log.record("view", user=users["coordinator"])
    with attacker.triggers_dropped():
        AuditEvent.objects.filter(pk=first.pk).update(actor="someone@else.example")
    result = log.verify()
    assert result.kind == "altered"
    assert result.first_broken.pk == first.pk


# ---------------------------------------------------------------- the key settings


def test_audit_keys_are_read_as_ids_and_base64_keys_the_first_signing():
    one, two = keys.new_audit_key("2026a"), keys.new_audit_key("2025b")
    parsed = keys.parse_audit_keys(f" {one} , {two} ")
    assert list(parsed) == ["2026a", "2025b"]
    assert all(len(key) == 32 for key in parsed.values())


@pytest.mark.parametrize(
    "setting, problem",
    [
        ("", "at least one audit key"),
        ("k1", "no id or no key"),
        ("k 1:" + "A" * 44, "must be 1 to 32 letters"),
        ("k1:c2hvcnQ=", "at least 32 bytes"),
        ("k1:not base64!", "not base64"),
        (f"k1:{'A' * 44},k1:{'B' * 44}", "listed twice"),
    ],
)
def test_an_unusable_audit_key_setting_is_refused_with_a_reason(setting, problem):
    with pytest.raises(keys.KeyProblem, match=problem):
        keys.parse_audit_keys(setting)


def _start_in_production(**environment):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTH_") and k != "DATABASE_URL"}
    # Production keeps to PostgreSQL (settings refuse SQLite there); importing
    # the settings connects to nothing.
    env.update(
        HOTH_SECRET_KEY="x" * 50,
        HOTH_FIELD_KEYS=Fernet.generate_key().decode(),
        DATABASE_URL="postgres://hoth@db.internal:5432/hoth",
        **environment,
    )
    return subprocess.run([sys.executable, "-c", "import hoth.settings"], capture_output=True, text=True, env=env)


def test_in_production_the_service_refuses_to_start_without_an_audit_key():
    started = _start_in_production()
    assert started.returncode != 0
    assert "ImproperlyConfigured: HOTH_AUDIT_KEYS must be set" in started.stderr
    assert _start_in_production(HOTH_AUDIT_KEYS=keys.new_audit_key("k1")).returncode == 0


def test_in_production_a_malformed_audit_key_stops_the_service_too():
    started = _start_in_production(HOTH_AUDIT_KEYS="k1:c2hvcnQ=")
    assert started.returncode != 0
    assert "HOTH_AUDIT_KEYS: the audit key 'k1' must be at least 32 bytes" in started.stderr


def test_a_development_checkout_made_before_the_audit_keys_gets_them_added(tmp_path, monkeypatch):
    monkeypatch.setattr(hoth_settings, "BASE_DIR", tmp_path)
    (tmp_path / ".local").mkdir()
    before_the_keys = {"HOTH_SECRET_KEY": "kept", "HOTH_FIELD_KEYS": "kept"}
    (tmp_path / ".local" / "dev-secrets.json").write_text(json.dumps(before_the_keys))
    secrets = hoth_settings._development_secrets()
    assert secrets["HOTH_SECRET_KEY"] == "kept"
    assert keys.parse_audit_keys(secrets["HOTH_AUDIT_KEYS"])
    assert keys.parse_checkpoint_key(secrets["HOTH_AUDIT_CHECKPOINT_KEY"])
    assert json.loads((tmp_path / ".local" / "dev-secrets.json").read_text()) == secrets
    assert hoth_settings._development_secrets() == secrets  # generated once
