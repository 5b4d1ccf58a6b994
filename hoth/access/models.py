from django.conf import settings
from django.db import models
from django.utils import timezone


class BreakGlass(models.Model):
    """Time-limited access to one person's record outside a user's normal scope,
    given only with a reason. It is audited, shown to auditors, and the person's
    lead professional is told."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="break_glass")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="break_glass")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "break-glass grants"
        indexes = [models.Index(fields=["user", "person", "expires_at"])]

    def __str__(self):
        return f"{self.user} → {self.person_id} until {self.expires_at:%Y-%m-%d %H:%M}"
