"""The audit log: one append-only, hash-chained table of everything done with
personal data. Rows are written only by hoth.audit.log.record()."""

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKOUT = "lockout", "Locked out"
    SIGN_OUT = "sign_out", "Signed out"
    MFA_ENROLLED = "mfa_enrolled", "Second factor enrolled"
    MFA_FAILED = "mfa_failed", "Second factor failed"
    PASSWORD_RESET = "password_reset", "Password reset"
    BREAK_GLASS = "break_glass", "Break-glass access"
    ACCESS_DENIED = "access_denied", "Access denied"
    TOKEN_USED = "token_used", "API token used"
    ADMIN = "admin", "Administration"


class AuditEvent(models.Model):
    """One thing someone did. The who/agency/role columns are copied at the time,
    so that the record stays true after people move agency or change role."""

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    actor = models.CharField(max_length=254, help_text="Email, or what was typed at a failed sign-in")
    agency = models.CharField(max_length=200, blank=True)
    roles = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # The person the event concerns, so that "who has seen this record" and a
    # subject access request are one indexed query.
    person_id = models.BigIntegerField(null=True, db_index=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The audit key (settings.AUDIT_KEYS) whose HMAC `hash` is. Empty only for
    # events written before the chain was keyed, whose hash is a plain SHA-256;
    # nullable so that adding it never rewrites the append-only table.
    key_id = models.CharField(max_length=32, null=True, editable=False)
    # The request the event came from (hoth.audit.context), so one request's
    # events can be found together; nullable for the same reason as key_id.
    request_id = models.CharField(max_length=32, null=True, editable=False)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["user", "at"]),
        ]
        constraints = [
            # Two writers that both read the same last hash would fork the chain.
            # record() serialises writers; this makes a fork impossible even if
            # something bypassed it.
            models.UniqueConstraint(fields=["previous_hash"], name="audit_chain_does_not_fork"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type} {self.object_id}"


class AuditEventPerson(models.Model):
    """Every person an event concerns: the person it is about (`AuditEvent.person_id`)
    and everyone shown to the user by it (a search result, a list, an export).

    It is an index of what the event itself says (its person_id and
    detail["person_ids"], both covered by the event's hash; verify() checks the
    two agree), kept so that "who has seen this record" and a subject access
    request are one indexed query however many people a search showed. Written
    only by hoth.audit.log.record(), append-only like the events.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="people")
    person_id = models.BigIntegerField()

    class Meta:
        constraints = [
            # Leads with person_id, so it is also the index the access history reads.
            models.UniqueConstraint(fields=["person_id", "event"], name="audit_person_once_per_event"),
        ]

    def __str__(self):
        return f"event {self.event_id} concerns person {self.person_id}"
