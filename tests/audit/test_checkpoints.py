"""Signed checkpoints outside the database catch what a chain cannot: the
newest events cut off, every event deleted, and a chain recomputed whole. They
cannot be forged, and none is ever overwritten."""

import base64
import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from hoth.audit import checkpoints, keys, log
from hoth.audit.models import AuditEvent
from hoth.people.models import Person

from . import attacker
from .legacy import write_legacy_event

NOON = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def run(command, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def person(db):
    return Person.objects.create(given_names="Kayleigh", family_name="Brennan")


@pytest.fixture
def day_of_events(users, person):
    """A day's events, then the night's checkpoint."""
    coordinator = users["coordinator"]

    def record_day():
        return [
            log.record("sign_in", user=coordinator),
            log.record("view", user=coordinator, obj=person),
            log.record("update", user=coordinator, obj=person, reason="New address from school"),
            log.record("search", user=coordinator, detail={"query": "Brennan"}, people=[person]),
            log.record("sign_out", user=coordinator),
        ]

    return record_day


@pytest.fixture
def checkpointed(day_of_events):
    events = day_of_events()
    checkpoint = checkpoints.write_checkpoint(now=NOON)
    return events, checkpoint


# ---------------------------------------------------------------- writing


def test_a_checkpoint_records_the_count_and_the_last_event_signed(checkpointed, settings):
    events, checkpoint = checkpointed
    assert checkpoint.events == 5
    assert checkpoint.last_event_id == events[-1].pk
    assert checkpoint.last_hash == events[-1].hash
    assert checkpoint.last_key_id == events[-1].key_id
    assert checkpoint.written_at == NOON
    assert checkpoint.path.parent == settings.AUDIT_CHECKPOINT_DIR
    assert checkpoints.read(checkpoint.path) == checkpoint


def test_each_checkpoint_is_a_new_file_and_the_newest_is_the_one_read(checkpointed, day_of_events):
    _, first = checkpointed
    day_of_events()
    second = checkpoints.write_checkpoint(now=NOON + timedelta(days=1))
    assert first.path.exists() and second.path.exists()
    assert second.events == 10
    assert checkpoints.latest() == second


def test_a_checkpoint_is_never_overwritten(checkpointed):
    _, checkpoint = checkpointed
    before = checkpoint.path.read_bytes()
    with pytest.raises(checkpoints.CheckpointExists):
        checkpoints.write_checkpoint(now=NOON)
    assert checkpoint.path.read_bytes() == before


def test_a_file_already_where_a_checkpoint_would_go_is_left_alone(day_of_events, settings):
    """Whatever is there: not even a file that is not a checkpoint is replaced."""
    events = day_of_events()
    checkpoints.write_checkpoint(now=NOON + timedelta(hours=1))
    squatter = settings.AUDIT_CHECKPOINT_DIR / f"checkpoint-20261127T120000000000Z-{events[-1].pk}.json"
    squatter.write_text("put here first")
    with pytest.raises(checkpoints.CheckpointExists):
        checkpoints.write_checkpoint(now=NOON)  # a clock set back an hour
    assert squatter.read_text() == "put here first"


def test_a_checkpoint_of_an_empty_log_can_be_written_and_holds(db):
    checkpoint = checkpoints.write_checkpoint(now=NOON)
    assert (checkpoint.events, checkpoint.last_event_id) == (0, None)
    code, out, err = run("verify_audit", "--require-checkpoint")
    assert code == 0, err


def test_a_copy_is_emailed_to_the_data_protection_officer_when_configured(day_of_events, settings):
    settings.AUDIT_CHECKPOINT_EMAIL = ["dpo@partnership.example"]
    day_of_events()
    checkpoint = checkpoints.write_checkpoint(now=NOON)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["dpo@partnership.example"]
    name, content, kind = sent.attachments[0]
    assert (name, kind) == (checkpoint.path.name, "application/json")
    assert content == checkpoint.path.read_text()


def test_writing_a_checkpoint_needs_the_checkpoint_key(db, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.AUDIT_CHECKPOINT_KEY = None
    with pytest.raises(ImproperlyConfigured, match="HOTH_AUDIT_CHECKPOINT_KEY"):
        checkpoints.write_checkpoint(now=NOON)


def test_the_command_writes_one_and_says_where(day_of_events):
    events = day_of_events()
    code, out, err = run("audit_checkpoint")
    assert code == 0, err
    written = checkpoints.latest()
    assert f"Checkpoint written: {written.path}" in out
    assert f"5 events up to event #{events[-1].pk}" in out


def test_a_log_cut_since_the_last_checkpoint_gets_no_new_checkpoint(checkpointed, day_of_events):
    """Otherwise the next night's checkpoint would vouch for the shortened log."""
    attacker.delete_newest(2)
    day_of_events()
    with pytest.raises(checkpoints.CheckpointRefused) as refused:
        checkpoints.write_checkpoint(now=NOON + timedelta(days=1))
    assert refused.value.verification.kind == "truncated"
    assert len(list(checkpointed[1].path.parent.iterdir())) == 1
    code, out, err = run("audit_checkpoint")
    assert code == 1
    assert "No checkpoint was written" in err
    assert "the newest events were removed" in err


def test_an_event_altered_since_the_last_checkpoint_gets_no_new_checkpoint(checkpointed, day_of_events):
    later = day_of_events()
    with attacker.triggers_dropped():
        AuditEvent.objects.filter(pk=later[2].pk).update(reason="Routine check")
    with pytest.raises(checkpoints.CheckpointRefused) as refused:
        checkpoints.write_checkpoint(now=NOON + timedelta(days=1))
    assert refused.value.verification.first_broken.pk == later[2].pk


# ---------------------------------------------------------------- what verify_audit now catches


def test_an_intact_log_matches_its_checkpoint(checkpointed, day_of_events):
    events, checkpoint = checkpointed
    day_of_events()
    code, out, err = run("verify_audit")
    assert code == 0, err
    assert "intact: 10 events checked" in out
    assert f"It matches {checkpoint}: 5 events up to event #{events[-1].pk}" in out
    assert err == ""


def test_the_newest_events_deleted_are_found(checkpointed):
    events, checkpoint = checkpointed
    attacker.delete_newest(2)
    assert log.verify().intact  # the chain alone cannot tell
    code, out, err = run("verify_audit")
    assert code == 1
    assert "Problem: the newest events were removed" in err
    assert f"up to event #{events[-1].pk}, but that event is gone" in err
    assert f"the log now ends at event #{events[2].pk} (3 events)" in err
    assert str(checkpoint.path) in err
    assert "intact" not in out


def test_the_newest_events_deleted_are_found_after_more_events_are_written(checkpointed, day_of_events):
    events, _ = checkpointed
    attacker.delete_newest(2)
    after = day_of_events()
    result = log.verify(checkpoints=[checkpoints.latest()])
    assert result.kind == "truncated"
    assert result.first_broken.pk == after[0].pk
    assert f"straight to #{after[0].pk}" in result.problem
    code, out, err = run("verify_audit")
    assert code == 1


def test_every_event_deleted_is_found(checkpointed):
    attacker.delete_everything()
    assert log.verify().intact  # an empty chain holds
    code, out, err = run("verify_audit")
    assert code == 1
    assert "the log is now empty" in err
    assert "Problem: the newest events were removed" in err


def test_every_event_deleted_and_a_new_log_begun_is_found(checkpointed, day_of_events):
    attacker.delete_everything()
    day_of_events()
    code, out, err = run("verify_audit")
    assert code == 1
    assert "Problem: the newest events were removed" in err


def test_a_log_recomputed_whole_with_the_old_unkeyed_hash_is_found(checkpointed):
    """The attacker who knows that unkeyed events are accepted at the start of
    the log makes every event one."""
    events, _ = checkpointed
    attacker.change_and_recompute(events[0], log.legacy_hash, None, actor="someone@else.example")
    assert log.verify().intact  # the chain alone cannot tell
    code, out, err = run("verify_audit")
    assert code == 1
    assert f"First broken entry: event #{events[-1].pk}" in err
    assert "Problem: recomputed" in err


def test_a_legacy_log_recomputed_after_its_checkpoint_is_found(users, settings):
    """A log that was all legacy events when it was checkpointed."""
    events = [write_legacy_event() for _ in range(4)]
    checkpoints.write_checkpoint(now=NOON)
    attacker.change_and_recompute(events[1], log.legacy_hash, None, actor="someone@else.example")
    code, out, err = run("verify_audit")
    assert code == 1
    assert "Problem: recomputed" in err


def test_an_event_changed_and_recomputed_with_a_wrong_key_is_found(checkpointed):
    events, _ = checkpointed
    attacker.change_and_recompute(events[1], attacker.with_wrong_key, events[1].key_id, object_id="999")
    code, out, err = run("verify_audit")
    assert code == 1
    assert f"First broken entry: event #{events[1].pk}" in err


def test_a_copy_of_a_checkpoint_named_on_the_command_line_is_checked_too(checkpointed, settings, tmp_path):
    """The checkpoint directory lost (were it not write-once), the emailed copy still tells."""
    events, checkpoint = checkpointed
    copy = tmp_path / "from-the-dpo.json"
    copy.write_text(checkpoint.path.read_text())
    attacker.delete_newest(1)
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "emptied"
    assert run("verify_audit")[0] == 0
    code, out, err = run("verify_audit", "--checkpoint", str(copy))
    assert code == 1
    assert "the newest events were removed" in err


# ---------------------------------------------------------------- no checkpoint, or a bad one


def test_with_no_checkpoint_yet_verify_audit_warns_plainly_and_passes(day_of_events):
    day_of_events()
    code, out, err = run("verify_audit")
    assert code == 0
    assert "intact: 5 events checked" in out
    assert err.startswith("Warning: No audit checkpoint to check against")
    assert "removed without trace" in err


def test_with_no_checkpoint_yet_verify_audit_fails_when_one_is_required(day_of_events):
    day_of_events()
    code, out, err = run("verify_audit", "--require-checkpoint")
    assert code == 1
    assert err.startswith("No audit checkpoint to check against")


def _rewrite(checkpoint, name=None, sign_with=None, **changes):
    """A new file made from `checkpoint` with `changes`, re-signed with `sign_with` if given."""
    data = json.loads(checkpoint.path.read_text())
    data.update(changes)
    if sign_with is not None:
        fields = {k: v for k, v in data.items() if k != "signature"}
        message = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
        data["signature"] = base64.b64encode(keys.sign(sign_with, message)).decode()
    path = checkpoint.path.parent / (name or checkpoint.path.name.replace("20261127", "20261128"))
    path.write_text(json.dumps(data))
    return path


def test_a_checkpoint_altered_to_match_a_cut_log_is_rejected_and_the_genuine_one_used(checkpointed):
    events, checkpoint = checkpointed
    attacker.delete_newest(2)
    forged = _rewrite(checkpoint, events=3, last_event_id=events[2].pk, last_hash=events[2].hash)
    code, out, err = run("verify_audit")
    assert code == 1
    assert f"The checkpoint {forged} cannot be trusted: its signature does not hold" in err
    assert "Problem: the newest events were removed" in err
    assert "intact" not in out


def test_a_planted_file_is_reported_but_stops_nothing(checkpointed, day_of_events):
    """On write-once storage it cannot be removed: checkpoints go on being written and checked."""
    _, checkpoint = checkpointed
    planted = _rewrite(checkpoint, name="checkpoint-29991231T000000000000Z-1.json", events=1)
    day_of_events()
    second = checkpoints.write_checkpoint(now=NOON + timedelta(days=1))
    assert checkpoints.latest() == second
    code, out, err = run("verify_audit")
    assert code == 1
    assert f"The checkpoint {planted} cannot be trusted" in err
    assert f"It matches {second}" in out


def test_a_checkpoint_signed_with_another_key_under_the_right_id_is_rejected(checkpointed):
    _, checkpoint = checkpointed
    theirs = keys.parse_checkpoint_key(keys.new_checkpoint_key("x")[0])[1]
    _rewrite(checkpoint, sign_with=theirs, written_at="2026-11-28T12:00:00+00:00")
    code, out, err = run("verify_audit")
    assert code == 1
    assert "signature does not hold" in err


def test_an_old_checkpoint_copied_under_a_newer_name_is_rejected(checkpointed, day_of_events):
    _, checkpoint = checkpointed
    day_of_events()
    checkpoints.write_checkpoint(now=NOON + timedelta(hours=1))
    renamed = _rewrite(checkpoint)  # the genuine, signed contents of the older one
    code, out, err = run("verify_audit")
    assert code == 1
    assert f"{renamed} cannot be trusted: its name does not match what it records" in err


def test_a_checkpoint_signed_with_a_key_not_configured_here_cannot_be_checked(checkpointed, settings):
    settings.AUDIT_CHECKPOINT_PUBLIC_KEYS = {}
    code, out, err = run("verify_audit")
    assert code == 1
    assert "could not be checked" in err
    assert "HOTH_AUDIT_CHECKPOINT_PUBLIC_KEYS" in err


def test_a_checkpoint_verifies_with_only_the_public_key(checkpointed, settings):
    """Where checkpoints are only verified, the private key need not be."""
    _, checkpoint = checkpointed
    key_id, private = settings.AUDIT_CHECKPOINT_KEY
    settings.AUDIT_CHECKPOINT_KEY = None
    settings.AUDIT_CHECKPOINT_PUBLIC_KEYS = {key_id: keys.public_key_of(private)}
    assert checkpoints.read(checkpoint.path) == checkpoint
    assert run("verify_audit")[0] == 0


@pytest.mark.parametrize("content", ["", "not json", "[]", '{"format": "something else"}'])
def test_a_file_that_is_not_a_checkpoint_is_rejected(checkpointed, content):
    _, checkpoint = checkpointed
    path = checkpoint.path.parent / checkpoint.path.name.replace("20261127", "20261129")
    path.write_text(content)
    code, out, err = run("verify_audit")
    assert code == 1
    assert "cannot be trusted: it is not a checkpoint" in err


def test_a_deployment_without_checkpoints_is_warned_about(settings):
    from hoth.audit.checks import audit_checkpoints

    assert audit_checkpoints(None) == []
    settings.AUDIT_CHECKPOINT_DIR = None
    settings.AUDIT_CHECKPOINT_PUBLIC_KEYS = {}
    assert [warning.id for warning in audit_checkpoints(None)] == ["hoth_audit.W001", "hoth_audit.W002"]
