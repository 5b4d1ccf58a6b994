"""The one writer of the audit log.

Every view, list, search, export, print and change of personal data, and every
sign-in event, is written here and nowhere else. Each row carries the hash of the
row before it, so removing or altering a row breaks the chain from that row on
(see verify()).

The hash is computed before the row is saved and checked later on the row read
back, so every value is first put into the exact form the database will hand
back (see _prepared): a timestamp, an IP address or a JSON number that changed
shape on the way through SQLite or PostgreSQL would look like tampering.
"""

import hashlib
import ipaddress
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import timezone as dt_timezone

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

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
        "at": event.at.astimezone(dt_timezone.utc).isoformat(),
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
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)


def compute_hash(event):
    return hashlib.sha256(_canonical(event).encode()).hexdigest()


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


def _ip(value):
    """The address as PostgreSQL's inet type prints it, or None if it is not one."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(str(value).strip().split("%")[0])
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def _pk(value):
    return int(getattr(value, "pk", value))


def client_ip(request):
    # Behind a proxy the service trusts only REMOTE_ADDR as set by the proxy's
    # WSGI configuration; X-Forwarded-For can be forged by the client.
    return _ip(request.META.get("REMOTE_ADDR")) if request is not None else None


def _max_length(name):
    return AuditEvent._meta.get_field(name).max_length


def record(action, *, request=None, user=None, actor="", obj=None, person=None, reason="", detail=None, people=()):
    """Write one audit event and return it.

    `user` defaults to the request's signed-in user. `obj` is the model instance
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
    """
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
        ip_address=client_ip(request),
    )
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
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        if concerned:
            AuditEventPerson.objects.bulk_create(
                [AuditEventPerson(event=event, person_id=pid) for pid in sorted(concerned)]
            )
    return event


def people_concerned(event):
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
    checked: int
    first_broken: AuditEvent | None = None
    problem: str = ""
    # "altered", "removed" (removed or reordered) or "index"; empty when intact.
    kind: str = ""
    last_good: AuditEvent | None = None

    @property
    def intact(self):
        return self.first_broken is None


def verify(batch_size=5000):
    """Walk the chain from the first event; stop at the first that does not hold.

    An event's own hash is checked before its link to the one before, so an
    altered row is named as altered, and a removed row is named by the event
    that follows the gap. Removing the newest events leaves no gap: keep the
    count and last hash that verify_audit prints somewhere else to catch that.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    expected_previous = GENESIS
    last_good = None
    checked = 0
    after_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=after_id).order_by("id")[:batch_size])
        if not batch:
            return Verification(checked, last_good=last_good)
        indexed = defaultdict(set)
        for event_id, person_id in AuditEventPerson.objects.filter(
            event_id__gte=batch[0].id, event_id__lte=batch[-1].id
        ).values_list("event_id", "person_id"):
            indexed[event_id].add(person_id)
        for event in batch:
            if compute_hash(event) != event.hash:
                return Verification(
                    checked, event, "its contents no longer match its hash: it was altered after it was written",
                    "altered", last_good,
                )
            if event.previous_hash != expected_previous:
                if last_good is None:
                    why = "it is not the start of the log: the events before it were removed"
                else:
                    why = (
                        f"it does not follow the event before it (#{last_good.pk}): an event between them "
                        "was removed, or events were reordered"
                    )
                return Verification(checked, event, why, "removed", last_good)
            if indexed.get(event.pk, set()) != people_concerned(event):
                return Verification(
                    checked, event, "the list of people it concerns was altered after it was written",
                    "index", last_good,
                )
            expected_previous = event.hash
            last_good = event
            checked += 1
        after_id = batch[-1].id
