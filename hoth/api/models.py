"""What the API keeps besides the register itself."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotentRequest(models.Model):
    """A create a partner system may safely send again.

    Systems retry when a network drops; without this a retry records the same
    child twice, and a duplicate record splits what partners know about them.
    A POST with an `Idempotency-Key` header is remembered for a day: the same
    key with the same body answers with the person first created; the same
    key with a different body is refused. Only a hash of the body is kept."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    person = models.ForeignKey("people.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "key"], name="idempotency_key_once_per_account")]

    def __str__(self):
        return f"{self.key} ({self.account_id})"
