"""Events as the audit log wrote them before the chain was keyed: a plain
SHA-256 and no key id. Databases in use hold these at the start of their log."""

from django.utils import timezone

from hoth.audit import log
from hoth.audit.models import AuditEvent


def write_legacy_event(action="view", actor="before@keys.example", **fields):
    event = AuditEvent(at=timezone.now(), actor=actor, action=action, detail={}, **fields)
    event.previous_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or log.GENESIS
    event.hash = log.legacy_hash(event)
    event.save(force_insert=True)
    return event
