"""What someone with the database's administrator rights, and a copy of the
code, but none of the keys kept outside the database, can do to the audit log.

Each function lifts the append-only triggers, as such a person can, and puts
them back afterwards, as they would to cover their tracks."""

from contextlib import contextmanager

from django.db import connection

from hoth.audit import log, triggers
from hoth.audit.models import AuditEvent, AuditEventPerson


@contextmanager
def triggers_dropped():
    triggers.remove(connection)
    try:
        yield
    finally:
        triggers.install(connection)


def delete_newest(count):
    """Cut the newest `count` events off the end of the chain."""
    newest = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:count])
    with triggers_dropped():
        AuditEventPerson.objects.filter(event_id__in=newest).delete()
        AuditEvent.objects.filter(id__in=newest).delete()


def delete_everything():
    with triggers_dropped():
        AuditEventPerson.objects.all().delete()
        AuditEvent.objects.all().delete()


def change_and_recompute(event, hash_with, key_id, **changes):
    """Change `event`, then recompute its hash and every later one with
    `hash_with(event)` and label them `key_id`, so that the chain links again."""
    with triggers_dropped():
        AuditEvent.objects.filter(pk=event.pk).update(**changes)
        recompute_from(event.pk, hash_with, key_id)


def recompute_from(first_id, hash_with, key_id):
    previous = (
        AuditEvent.objects.filter(id__lt=first_id).order_by("-id").values_list("hash", flat=True).first() or log.GENESIS
    )
    with triggers_dropped():
        for event in AuditEvent.objects.filter(id__gte=first_id).order_by("id"):
            event.previous_hash = previous
            event.key_id = key_id
            event.hash = hash_with(event)
            AuditEvent.objects.filter(pk=event.pk).update(
                previous_hash=event.previous_hash, key_id=event.key_id, hash=event.hash
            )
            previous = event.hash


def with_wrong_key(event):
    return log.keyed_hash(event, b"the attacker's own guess at a key")
