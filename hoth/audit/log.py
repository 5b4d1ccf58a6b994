"""The one writer of the audit log.

Every view, list, search, export, print and change of personal data, and every
sign-in event, is written here and nowhere else. Each row carries the hash of the
row before it, so removing or altering a row breaks the chain from that row on
(see verify()).
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from datetime import timezone as dt_timezone

from .models import Action, AuditEvent

GENESIS = "0" * 64
# Any constant will do: it names the lock that serialises writers on PostgreSQL.
_CHAIN_LOCK = 0x484F5448


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
        "detail": event.detail,
        "ip_address": event.ip_address,
        "previous_hash": event.previous_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)


def compute_hash(event):
    return hashlib.sha256(_canonical(event).encode()).hexdigest()


def client_ip(request):
    # Behind a proxy the service trusts only REMOTE_ADDR as set by the proxy's
    # WSGI configuration; X-Forwarded-For can be forged by the client.
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record(action, *, request=None, user=None, actor="", obj=None, person=None, reason="", detail=None):
    """Write one audit event and return it.

    `user` defaults to the request's signed-in user. `obj` is the model instance
    the event is about; `person` the Person it concerns (if obj is a Person it is
    taken from there). `detail` holds ids and queries, never free text about a
    child: the log must not become a second copy of case records.
    """
    if user is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            user = request.user
    person_id = getattr(person, "pk", person)
    if obj is not None and obj._meta.label == "people.Person":
        person_id = obj.pk
    event = AuditEvent(
        at=timezone.now(),
        user=user,
        actor=(user.email if user else actor)[:254],
        agency=str(user.agency) if user else "",
        roles=",".join(user.roles) if user else "",
        action=Action(action).value,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        person_id=person_id,
        reason=reason,
        detail=detail or {},
        ip_address=client_ip(request),
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.previous_hash = last or GENESIS
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event


@dataclass
class Verification:
    checked: int
    first_broken: AuditEvent | None = None
    problem: str = ""

    @property
    def intact(self):
        return self.first_broken is None


def verify(batch_size=5000):
    """Walk the chain from the first event; stop at the first that does not hold."""
    expected_previous = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.previous_hash != expected_previous:
            return Verification(checked, event, "does not follow the event before it (one was removed or changed)")
        if compute_hash(event) != event.hash:
            return Verification(checked, event, "its contents no longer match its hash (it was altered)")
        expected_previous = event.hash
        checked += 1
    return Verification(checked)
