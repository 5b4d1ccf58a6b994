"""The one writer of the audit log.

Every view, list, search, export, print and change of personal data, and every
sign-in event, is written here and nowhere else. Each row carries the hash of the
row before it, so removing or altering a row breaks the chain from that row on
(see verify()).

The hash is an HMAC-SHA256 under an audit key held outside the database
(settings.AUDIT_KEYS, see keys.py), and each event names its key: someone who
can change the database but holds no key cannot recompute the chain after
changing a row. Events written before keys were introduced carry a plain
SHA-256 and no key id; they verify, but only as the start of the chain.
Removing the newest events leaves a shorter chain that still holds: signed
checkpoints kept outside the database (checkpoints.py) catch that.

An event that records what someone saw or tried (a view, a search, a refusal,
a sign-in) must outlive the transaction it was written in: see
surviving_rollback().

The hash is computed before the row is saved and checked later on the row read
back, so every value is first put into the exact form the database will hand
back (see _prepared): a timestamp, an IP address or a JSON number that changed
shape on the way through SQLite or PostgreSQL would look like tampering.
"""

import contextvars
import hashlib
import hmac
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC
from functools import partial
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .context import AuditContext
from .models import Action, AuditEvent, AuditEventPerson

GENESIS = "0" * 64
# Any constant will do: it names the lock that serialises writers on PostgreSQL.
_CHAIN_LOCK = 0x484F5448


def _canonical_json(value):
    """JSON as both databases give it back. PostgreSQL's jsonb keeps numbers as
    decimals, so 1e20 written as a float comes back as an integer: whole floats
    are hashed as integers so that both readings agree."""
    if isinstance(value, dict):
        return {key: _canonical_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical_json(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _canonical(event):
    fields = {
        "at": event.at.astimezone(UTC).isoformat(),
        "user": event.user_id,
        "actor": event.actor,
        "agency": event.agency,
        "roles": event.roles,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "person_id": event.person_id,
        "reason": event.reason,
        "detail": _canonical_json(event.detail),
        "ip_address": event.ip_address,
        "previous_hash": event.previous_hash,
    }
    # An event's contents are exactly what they were when it was hashed: fields
    # added later are hashed only where they are set (and a migration's
    # historical model may not have them at all).
    if request_id := getattr(event, "request_id", None):
        fields["request_id"] = request_id
    if event.key_id is not None:
        fields["key_id"] = event.key_id
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)


def legacy_hash(event: AuditEvent) -> str:
    """How events were hashed before the chain was keyed: anyone can compute it."""
    return hashlib.sha256(_canonical(event).encode()).hexdigest()


def keyed_hash(event: AuditEvent, key: bytes) -> str:
    return hmac.new(key, _canonical(event).encode(), hashlib.sha256).hexdigest()


def _signing_key():
    """The first audit key signs (settings.py refuses to start without one)."""
    for key_id, key in settings.AUDIT_KEYS.items():
        return key_id, key
    raise ImproperlyConfigured("No audit key: set HOTH_AUDIT_KEYS.")


def _text(value, max_length=None):
    # PostgreSQL refuses NUL in text; a failed sign-in's typed email is
    # attacker-controlled, and its audit row must still be written.
    value = str(value).replace("\x00", "\ufffd")
    return value[:max_length] if max_length else value


def _plain(value):
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict):
        return {_text(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _prepared_detail(detail):
    # Round-trip through JSON now: dates, UUIDs and Decimals become strings,
    # tuples lists, keys strings, just as they will be when read back.
    data = json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder, allow_nan=False))
    if not isinstance(data, dict):
        raise TypeError("audit detail must be a mapping")
    return _plain(data)


def _pk(value):
    return int(getattr(value, "pk", value))


def _max_length(name: str) -> int | None:
    return getattr(AuditEvent._meta.get_field(name), "max_length", None)


def record(
    action: str,
    *,
    request: Any = None,
    audit: AuditContext | None = None,
    user: Any = None,
    actor: str = "",
    obj: Any = None,
    person: Any = None,
    reason: str = "",
    detail: dict | None = None,
    people: Iterable = (),
) -> AuditEvent:
    """Write one audit event and return it.

    Pages pass their `request`; services, which never hold one, pass the
    `audit` context (hoth.audit.context) they were given. `user` defaults to
    the request's signed-in user. `obj` is the model instance
    the event is about; `person` the Person (or its pk) it concerns (if obj is a
    Person it is taken from there). `detail` holds ids and queries, never free
    text about a child: the log must not become a second copy of case records.

    `people` is for lists, searches and exports: the Persons (or pks) the user
    was SHOWN, e.g. the people on the page of search results, not every match.
    They are kept, sorted, in detail["person_ids"] (so the hash covers them) and
    indexed in AuditEventPerson, so each of those people's "who has seen this
    record" page finds the event. A search of people is written as

        record("search", request=request, detail={"query": q, "ids": ids}, people=ids)

    A detail that already carries "person_ids" is treated the same way.

    Called inside a transaction, the event commits or rolls back with it. An
    event of what someone saw or tried (SURVIVES_ROLLBACK) is written again
    after a rollback by surviving_rollback(), which every request runs in.
    """
    if audit is None and request is not None:
        audit = AuditContext.of(request)
    if user is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            user = request.user
    person_id = _pk(person) if person is not None else None
    if obj is not None and obj._meta.label == "people.Person":
        person_id = obj.pk
    detail = _prepared_detail(detail)
    shown = {_pk(p) for p in people} | {_pk(p) for p in detail.get("person_ids", [])}
    if shown:
        detail["person_ids"] = sorted(shown)
    concerned = shown | ({person_id} if person_id is not None else set())
    event = AuditEvent(
        user=user,
        actor=_text(user.email if user else actor, _max_length("actor")),
        agency=_text(user.agency if user else "", _max_length("agency")),
        roles=_text(",".join(user.roles) if user else "", _max_length("roles")),
        action=Action(action).value,
        object_type=_text(obj._meta.label if obj is not None else "", _max_length("object_type")),
        object_id=_text(obj.pk if obj is not None else "", _max_length("object_id")),
        person_id=person_id,
        reason=_text(reason),
        detail=detail,
        ip_address=audit.ip if audit else None,
        request_id=(audit.request_id or None) if audit else None,
    )
    # Decided before record()'s own atomic block: is the caller's transaction
    # one that might still roll back?
    keep = event.action in SURVIVES_ROLLBACK and connection.in_atomic_block and _kept.get() is not None
    _append(event, concerned)
    if keep:
        _keep(event, concerned)
    return event


def _append(event, concerned):
    with transaction.atomic():
        # Writers must take turns: each reads the last hash and appends after it.
        # PostgreSQL: a transaction-scoped advisory lock, held until the caller's
        # outermost transaction ends (so audit late in a long transaction), and
        # read-committed isolation so the last hash read is the latest committed.
        # SQLite: settings open every transaction with BEGIN IMMEDIATE, which
        # already takes the database's single write lock. Either way the unique
        # previous_hash refuses a fork rather than letting one in.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        # Taken inside the lock so that time never runs backwards along the chain.
        event.at = timezone.now()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.previous_hash = last or GENESIS
        event.key_id, key = _signing_key()
        event.hash = keyed_hash(event, key)
        event.save(force_insert=True)
        if concerned:
            AuditEventPerson.objects.bulk_create(
                [AuditEventPerson(event=event, person_id=pid) for pid in sorted(concerned)]
            )


# ---------------------------------------------------------------- surviving a rollback

# What someone saw or tried: true whether or not the work around it was kept.
# Changes (create, update, delete, administration, enrolling a second factor,
# resetting a password) rightly vanish with a transaction that rolls back.
SURVIVES_ROLLBACK = frozenset(
    action.value
    for action in (
        Action.VIEW,
        Action.LIST,
        Action.SEARCH,
        Action.EXPORT,
        Action.PRINT,
        Action.SIGN_IN,
        Action.SIGN_IN_FAILED,
        Action.LOCKOUT,
        Action.SIGN_OUT,
        Action.MFA_FAILED,
        Action.BREAK_GLASS,
        Action.ACCESS_DENIED,
        Action.TOKEN_USED,
    )
)

# The events of the current request or job written inside a transaction that
# has not yet committed, by hash; None outside surviving_rollback().
_kept: contextvars.ContextVar[dict[str, "_Kept"] | None] = contextvars.ContextVar("hoth_audit_kept", default=None)


@dataclass
class _Kept:
    event: AuditEvent
    concerned: set


def _keep(event: AuditEvent, concerned: set) -> None:
    kept = _kept.get()
    assert kept is not None, "record() keeps an event only inside surviving_rollback()"
    kept[event.hash] = _Kept(event, concerned)
    # Django runs this only if the transaction commits; a rollback (of the
    # transaction, or of a savepoint around the event) discards it, which
    # leaves the event in `kept` for surviving_rollback() to write again.
    transaction.on_commit(partial(kept.pop, event.hash, None), robust=True)


@contextmanager
def surviving_rollback() -> Iterator[None]:
    """Events that record what someone saw or tried, written inside a
    transaction that then rolled back, are written again when this ends.

    The middleware (hoth.audit.middleware) wraps every request in it; a job or
    command that calls record() inside transactions wraps its work the same
    way. It must end outside any transaction: only then is every transaction in
    it known to have committed or rolled back. Writing after the rollback, on
    the same connection, is what works on both databases: SQLite lets one
    connection write at a time, and a second PostgreSQL connection would wait
    forever for the chain's lock held by the first. The event written again
    takes a fresh place at the end of the chain, with its first time kept in
    detail["rolled_back"].

    Nested uses share the outermost, which does the writing.
    """
    if _kept.get() is not None:
        yield
        return
    token = _kept.set({})
    try:
        yield
    finally:
        kept = _kept.get()
        _kept.reset(token)
        _write_again(kept)


def _write_again(kept):
    if not kept:
        return
    if connection.in_atomic_block:
        # The transaction is still open, so whether it commits is not known.
        # Only the test suite ends a request inside one (its own per-test
        # transaction, rolled back after the test whatever happens).
        return
    # An on_commit callback that raises stops the ones after it, so a
    # committed event can still be listed here: never write one twice.
    written = set(AuditEvent.objects.filter(hash__in=list(kept)).values_list("hash", flat=True))
    lost = [item for hash_, item in kept.items() if hash_ not in written]
    if not lost:
        return
    with transaction.atomic():
        for item in lost:
            first = item.event
            detail = dict(first.detail)
            detail["rolled_back"] = {"first_written_at": first.at.astimezone(UTC).isoformat()}
            again = AuditEvent(
                user_id=first.user_id,
                actor=first.actor,
                agency=first.agency,
                roles=first.roles,
                action=first.action,
                object_type=first.object_type,
                object_id=first.object_id,
                person_id=first.person_id,
                reason=first.reason,
                detail=detail,
                ip_address=first.ip_address,
                request_id=first.request_id,
            )
            _append(again, item.concerned)


def people_concerned(event: AuditEvent) -> set[int]:
    """The person ids an event says it concerns, from the hashed columns."""
    ids = {event.person_id} if event.person_id is not None else set()
    if isinstance(event.detail, dict):
        for pid in event.detail.get("person_ids", []):
            try:
                ids.add(int(pid))
            except (TypeError, ValueError):
                ids.add(pid)  # never matches the index, so verify() reports it
    return ids


@dataclass
class Verification:
    # Events that hold, from the first (with `since`, those the checkpoint
    # vouches for count too); on failure, those before the failure.
    checked: int
    first_broken: AuditEvent | None = None
    problem: str = ""
    # Empty when intact. "altered", "removed" (removed or reordered), "index",
    # "rebuilt" (hashes recomputed), "truncated" (the newest events removed) or
    # "unverifiable" (signed with a key not configured here).
    kind: str = ""
    last_good: AuditEvent | None = None
    # The checkpoint whose record the log no longer matches, if that was the failure.
    checkpoint: object = None
    # The checkpoints the log was found to match.
    checkpoints_held: list = field(default_factory=list)

    @property
    def intact(self):
        return not self.kind


class Checkpoint(Protocol):
    """What verify() reads of a signed checkpoint (hoth.audit.checkpoints,
    which imports this module, so is not imported here)."""

    @property
    def events(self) -> int: ...
    @property
    def last_event_id(self) -> int | None: ...
    @property
    def last_hash(self) -> str: ...


def _last_event(checkpoint: Checkpoint) -> int:
    assert checkpoint.last_event_id is not None, "verify() waits only for checkpoints that name an event"
    return checkpoint.last_event_id


def verify(
    batch_size: int = 5000,
    *,
    checkpoints: Iterable[Checkpoint] = (),
    since: Checkpoint | None = None,
    keys: Mapping[str, bytes] | None = None,
) -> "Verification":
    """Walk the chain from the first event; stop at the first that does not hold.

    An event's own hash is checked before its link to the one before, so an
    altered row is named as altered, and a removed row is named by the event
    that follows the gap. A keyed hash needs the key the event names (`keys`,
    default settings.AUDIT_KEYS); an event naming a key not configured cannot be
    checked, which is a failure, not a pass. Unkeyed (legacy) events may only
    come before the first keyed one.

    A chain whose newest events were cut off, or that was recomputed whole with
    the legacy hash, still holds by itself. `checkpoints` (hoth.audit.checkpoints,
    their signatures already checked) are what catch that: as the walk passes
    each one's last event, that event must carry the hash the checkpoint
    recorded and be the checkpoint's count-th event; a checkpoint whose last
    event never comes means the newest events were removed.

    `since` is a checkpoint to start from instead of the first event, for
    checking only what was written after it (write_checkpoint does). The
    checkpoint's own last event and count are confirmed first.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    keys = settings.AUDIT_KEYS if keys is None else keys
    waiting = sorted((c for c in checkpoints if c.last_event_id is not None), key=_last_event)
    held: list = []
    expected_previous = GENESIS
    last_good = None
    checked = 0
    after_id = 0
    keyed = False

    def broken(event, kind, why, checkpoint=None):
        return Verification(checked, event, why, kind, last_good, checkpoint, held)

    def cut_off(checkpoint, following):
        if following is not None and last_good is not None:
            now = f"the log now goes from event #{last_good.pk} straight to #{following.pk}"
        elif following is not None:
            now = f"the log now starts at event #{following.pk}"
        elif last_good is not None:
            now = f"the log now ends at event #{last_good.pk} ({checked} events)"
        else:
            now = "the log is now empty"
        why = (
            f"{checkpoint} recorded {checkpoint.events} events up to event #{checkpoint.last_event_id}, "
            f"but that event is gone and {now}: the newest events at the time of the checkpoint were removed"
        )
        return broken(following, "truncated", why, checkpoint)

    def against(checkpoint, event, count):
        if event.hash != checkpoint.last_hash:
            return broken(
                event,
                "rebuilt",
                f"its hash is not the one {checkpoint} recorded for it: the chain up to it was recomputed "
                "after the checkpoint was written",
                checkpoint,
            )
        if count != checkpoint.events:
            return broken(
                event,
                "removed",
                f"{checkpoint} recorded {checkpoint.events} events up to it, but there are now {count}: "
                "events before it were removed or added",
                checkpoint,
            )
        held.append(checkpoint)
        return None

    if since is not None and since.last_event_id is not None:
        start = AuditEvent.objects.filter(pk=since.last_event_id).first()
        if start is None:
            return cut_off(since, AuditEvent.objects.filter(id__gt=since.last_event_id).order_by("id").first())
        failed = against(since, start, AuditEvent.objects.filter(id__lte=start.pk).count())
        if failed:
            return failed
        expected_previous, last_good, checked, after_id = start.hash, start, since.events, start.pk
        keyed = start.key_id is not None

    while True:
        batch = list(AuditEvent.objects.filter(id__gt=after_id).order_by("id")[:batch_size])
        if not batch:
            break
        indexed = defaultdict(set)
        for event_id, person_id in AuditEventPerson.objects.filter(
            event_id__gte=batch[0].id, event_id__lte=batch[-1].id
        ).values_list("event_id", "person_id"):
            indexed[event_id].add(person_id)
        for event in batch:
            if waiting and _last_event(waiting[0]) < event.pk:
                return cut_off(waiting[0], event)
            if event.key_id is None:
                if keyed:
                    return broken(
                        event,
                        "rebuilt",
                        "it carries an unkeyed hash, which only events written before the audit keys were "
                        "introduced have, yet keyed events come before it: the chain was recomputed from here",
                    )
                expected = legacy_hash(event)
            elif event.key_id in keys:
                expected = keyed_hash(event, keys[event.key_id])
            else:
                return broken(
                    event,
                    "unverifiable",
                    f"it is signed with the audit key {event.key_id!r}, which is not configured here "
                    "(HOTH_AUDIT_KEYS), so it cannot be checked",
                )
            if expected != event.hash:
                return broken(
                    event, "altered", "its contents no longer match its hash: it was altered after it was written"
                )
            if event.previous_hash != expected_previous:
                if last_good is None:
                    why = "it is not the start of the log: the events before it were removed"
                else:
                    why = (
                        f"it does not follow the event before it (#{last_good.pk}): an event between them "
                        "was removed, or events were reordered"
                    )
                return broken(event, "removed", why)
            if indexed.get(event.pk, set()) != people_concerned(event):
                return broken(event, "index", "the list of people it concerns was altered after it was written")
            while waiting and _last_event(waiting[0]) == event.pk:
                failed = against(waiting.pop(0), event, checked + 1)
                if failed:
                    return failed
            keyed = keyed or event.key_id is not None
            expected_previous = event.hash
            last_good = event
            checked += 1
        after_id = batch[-1].id
    if waiting:
        return cut_off(waiting[0], None)
    return Verification(checked, last_good=last_good, checkpoints_held=held)
