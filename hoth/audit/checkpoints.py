"""Signed checkpoints of the audit log, kept where the database cannot reach.

The keyed hash chain (log.py) stops anyone without an audit key from changing
an event and recomputing the rest. It cannot show that the newest events were
cut off the end, that every event was deleted, or that a log still made of
legacy unkeyed events was recomputed whole: each leaves a chain that holds. A
checkpoint records how many events there were, the last one's id and hash, and
when, signed so that it cannot be forged; verify_audit then insists the log
still matches it.

The signature is Ed25519 rather than an HMAC: a checkpoint is verified by
whoever holds the public key (verify_audit on a read-only replica, an external
auditor, the data protection officer with the emailed copy), and none of them
can forge one. Only the machine that writes checkpoints holds the private key
(HOTH_AUDIT_CHECKPOINT_KEY); the web servers, which hold the audit keys because
they write the log, need not hold it at all.

Each checkpoint is one file, created exclusively (never overwritten) in
settings.AUDIT_CHECKPOINT_DIR, which in production belongs on write-once
storage (an object store bucket with object lock, a WORM share) that the
database's administrators cannot change; a copy can be emailed to the data
protection officer (settings.AUDIT_CHECKPOINT_EMAIL).

The file is JSON: the signed fields and "signature", the base64 Ed25519
signature of those fields as compact JSON with sorted keys (so it can be checked
with any Ed25519 library and the public key).
"""

import base64
import binascii
import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.utils import timezone

from . import keys, log

FORMAT = "hoth-audit-checkpoint/1"
# Timestamps are fixed width, so the names sort in the order they were written.
FILE_NAME = re.compile(r"^checkpoint-\d{8}T\d{12}Z-\d+\.json$")
_HASH = re.compile(r"^[0-9a-f]{64}$")

logger = logging.getLogger(__name__)


class CheckpointError(Exception):
    def __init__(self, path, why):
        self.path = path
        self.why = why
        super().__init__(f"{path}: {why}")


class ForgedCheckpoint(CheckpointError):
    """Not something the checkpoint key signed: forged, altered, renamed or damaged."""


class UncheckableCheckpoint(CheckpointError):
    """Signed with a checkpoint key whose public half is not configured here."""


class CheckpointExists(CheckpointError, FileExistsError):
    """A checkpoint is never overwritten."""


class CheckpointRefused(Exception):
    """The log does not hold since the last checkpoint, so no new one was
    written: a checkpoint must never vouch for a log that was cut or changed."""

    def __init__(self, verification):
        self.verification = verification
        super().__init__(verification.problem)


@dataclass(frozen=True)
class Checkpoint:
    written_at: datetime
    events: int
    last_event_id: int | None
    last_hash: str
    last_key_id: str | None
    signing_key_id: str
    signature: str = ""
    path: Path | None = None

    def signed_fields(self):
        return {
            "format": FORMAT,
            "written_at": self.written_at.astimezone(UTC).isoformat(),
            "events": self.events,
            "last_event_id": self.last_event_id,
            "last_hash": self.last_hash,
            "last_key_id": self.last_key_id,
            "signing_key_id": self.signing_key_id,
        }

    @property
    def file_name(self):
        at = self.written_at.astimezone(UTC)
        return f"checkpoint-{at:%Y%m%dT%H%M%S%fZ}-{self.last_event_id or 0}.json"

    def to_json(self):
        return json.dumps({**self.signed_fields(), "signature": self.signature}, indent=2) + "\n"

    def __str__(self):
        at = self.written_at.astimezone(UTC)
        # The file's name already says it is a checkpoint.
        return f"{self.file_name} (written {at:%Y-%m-%d %H:%M:%S} UTC)"


def _message(fields):
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def _field(data, name, check, path):
    value = data.get(name)
    if not check(value):
        raise ForgedCheckpoint(path, f"it is not a checkpoint: its {name!r} is missing or malformed")
    return value


def _whole(value, minimum):
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def read(path: str | os.PathLike[str], public_keys: Mapping[str, bytes] | None = None) -> Checkpoint:
    """The checkpoint in the file at `path`, once its signature holds."""
    path = Path(path)
    public_keys = settings.AUDIT_CHECKPOINT_PUBLIC_KEYS if public_keys is None else public_keys
    try:
        data = json.loads(path.read_text())
    except OSError as error:
        raise CheckpointError(path, f"it cannot be read ({error.strerror or error})") from None
    except ValueError:
        raise ForgedCheckpoint(path, "it is not a checkpoint: it is not JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ForgedCheckpoint(path, f"it is not a checkpoint: its format is not {FORMAT!r}")
    signature = data.pop("signature", None)
    key_id = _field(data, "signing_key_id", lambda v: isinstance(v, str) and keys.KEY_ID.match(v), path)
    if key_id not in public_keys:
        raise UncheckableCheckpoint(
            path,
            f"it was signed with the checkpoint key {key_id!r}, whose public key is not configured here "
            "(HOTH_AUDIT_CHECKPOINT_PUBLIC_KEYS)",
        )
    try:
        raw = base64.b64decode(signature or "", validate=True)
    except (binascii.Error, TypeError, ValueError):
        raw = b""
    if not raw or not keys.signature_holds(public_keys[key_id], raw, _message(data)):
        raise ForgedCheckpoint(
            path, f"its signature does not hold under the checkpoint key {key_id!r}: it was forged or altered"
        )
    # Signed, so written by write_checkpoint(); checked anyway, as a key can leak.
    try:
        written_at = datetime.fromisoformat(_field(data, "written_at", lambda v: isinstance(v, str), path))
    except ValueError:
        raise ForgedCheckpoint(path, "it is not a checkpoint: its 'written_at' is not a time") from None
    if written_at.tzinfo is None:
        raise ForgedCheckpoint(path, "it is not a checkpoint: its 'written_at' has no time zone")
    return Checkpoint(
        written_at=written_at,
        events=_field(data, "events", lambda v: _whole(v, 0), path),
        last_event_id=_field(data, "last_event_id", lambda v: v is None or _whole(v, 1), path),
        last_hash=_field(data, "last_hash", lambda v: isinstance(v, str) and _HASH.match(v), path),
        last_key_id=_field(data, "last_key_id", lambda v: v is None or isinstance(v, str), path),
        signing_key_id=key_id,
        signature=signature,
        path=path,
    )


def directory() -> Path | None:
    configured = settings.AUDIT_CHECKPOINT_DIR
    return Path(configured) if configured else None


def scan(where: str | os.PathLike[str] | None = None) -> tuple[Checkpoint | None, list[CheckpointError]]:
    """(the newest genuine checkpoint in the checkpoint directory or None, the
    CheckpointErrors of the files newer than it that are not genuine).

    A file that is not a genuine checkpoint is reported, never trusted, and
    never in the way: on write-once storage it cannot be removed, and one
    planted file must not stop checkpoints from being written or checked.
    """
    where = directory() if where is None else Path(where)
    rejected: list[CheckpointError] = []
    if where is None or not where.is_dir():
        return None, rejected
    for name in sorted((entry.name for entry in where.iterdir() if FILE_NAME.match(entry.name)), reverse=True):
        try:
            checkpoint = read(where / name)
        except CheckpointError as error:
            rejected.append(error)
            continue
        if checkpoint.file_name != name:
            # An older checkpoint copied under a newer name would hide what came after it.
            rejected.append(
                ForgedCheckpoint(
                    where / name, f"its name does not match what it records ({checkpoint.file_name}): it was renamed"
                )
            )
            continue
        return checkpoint, rejected
    return None, rejected


def latest(where: str | os.PathLike[str] | None = None) -> Checkpoint | None:
    """The newest genuine checkpoint, or None if there is none."""
    return scan(where)[0]


def write_checkpoint(now: datetime | None = None) -> Checkpoint:
    """Check what was written since the last checkpoint, then write and sign a
    new one. Returns it (its `path` set); raises CheckpointRefused, without
    writing anything, if the log does not hold since the last checkpoint.

    Meant to be run daily (or more often: events written since the newest
    checkpoint are the ones that could still be cut off without trace) by the
    job scheduler, or by `manage.py audit_checkpoint`.
    """
    if settings.AUDIT_CHECKPOINT_KEY is None:
        raise ImproperlyConfigured("HOTH_AUDIT_CHECKPOINT_KEY is not set, so checkpoints cannot be signed here.")
    where = directory()
    if where is None:
        raise ImproperlyConfigured("HOTH_AUDIT_CHECKPOINT_DIR is not set, so there is nowhere to keep checkpoints.")
    where.mkdir(parents=True, exist_ok=True)
    previous, rejected = scan(where)
    for error in rejected:
        # verify_audit raises the alarm; writing checkpoints goes on regardless.
        logger.warning("Audit checkpoint file not trusted: %s", error)
    # Only what came after the previous checkpoint needs checking: it vouches
    # for the rest, and the walk confirms its last event and count first.
    result = log.verify(since=previous)
    if not result.intact:
        raise CheckpointRefused(result)
    last = result.last_good
    key_id, private = settings.AUDIT_CHECKPOINT_KEY
    checkpoint = Checkpoint(
        written_at=(now or timezone.now()).astimezone(UTC),
        events=result.checked,
        last_event_id=last.pk if last else None,
        last_hash=last.hash if last else log.GENESIS,
        last_key_id=last.key_id if last else None,
        signing_key_id=key_id,
    )
    signature = base64.b64encode(keys.sign(private, _message(checkpoint.signed_fields()))).decode()
    checkpoint = replace(checkpoint, signature=signature, path=where / checkpoint.file_name)
    _write_once(checkpoint.path, checkpoint.to_json())
    if settings.AUDIT_CHECKPOINT_EMAIL:
        _email(checkpoint)
    return checkpoint


def _write_once(path, text):
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    except FileExistsError:
        raise CheckpointExists(path, "it already exists, and a checkpoint is never overwritten") from None
    try:
        os.write(descriptor, text.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        # The file's name must be on disk too, not only its contents.
        folder = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(folder)
    except OSError:
        pass
    finally:
        os.close(folder)


def _email(checkpoint):
    message = EmailMessage(
        subject=f"HOTH audit log checkpoint: {checkpoint.events} events",
        body=(
            f"The {settings.SERVICE_NAME} service wrote a checkpoint of its audit log: {checkpoint.events} events, "
            f"the last #{checkpoint.last_event_id}, at {checkpoint.written_at:%Y-%m-%d %H:%M} UTC.\n\n"
            "Keep this email. The attached file is signed and holds no personal data. If the audit log is ever "
            "in doubt, `python manage.py verify_audit --checkpoint FILE` with it shows whether events it "
            "records were removed or recomputed since.\n"
        ),
        to=settings.AUDIT_CHECKPOINT_EMAIL,
    )
    message.attach(checkpoint.file_name, checkpoint.to_json(), "application/json")
    message.send()
