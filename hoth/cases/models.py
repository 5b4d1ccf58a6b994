"""A child's harm-outside-the-home case, and the missing episodes recorded
about a child whether or not a case is open.

The front door opens cases (a screening-meeting decision or a coordinator);
the Protect work builds the case out with plans, reviews and closure.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access import policy
from hoth.people.encryption import EncryptedTextField
from hoth.people.models import new_reference


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return policy.visible_cases(user, self)

    def open(self):
        return self.filter(status=Case.Status.OPEN)


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=12, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN, db_index=True)
    lead_professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                          related_name="cases_led")
    harm_types = models.ManyToManyField("referrals.HarmType", blank=True, related_name="cases")
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: a save carries the version it read (see issue 4).
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["person"], condition=models.Q(status="open"),
                                               name="one_open_case_per_child")]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference("K")
        super().save(*args, **kwargs)


class MissingEpisodeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return policy.visible_missing_episodes(user, self)


class MissingEpisode(models.Model):
    """A period when a child was missing, or away from placement without
    authorisation (the CIN census's M and A)."""

    class Kind(models.TextChoices):
        MISSING = "M", "Missing"
        AWAY = "A", "Away from placement without authorisation"

    class Condition(models.TextChoices):
        UNHARMED = "unharmed", "Safe and well"
        INJURED = "injured", "Injured"
        INTOXICATED = "intoxicated", "Under the influence of drink or drugs"
        DISTRESSED = "distressed", "Distressed"
        NOT_KNOWN = "not_known", "Not known"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="missing_episodes")
    kind = models.CharField(max_length=1, choices=Kind.choices, default=Kind.MISSING)
    started_at = models.DateTimeField(db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Empty while the child is still missing")
    reported_by = models.CharField(max_length=200, blank=True, help_text="Who reported the child missing")
    reported_by_agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+")
    police_reference = models.CharField(max_length=40, blank=True)
    where_found = models.CharField(max_length=300, blank=True)
    found_postcode = models.CharField(max_length=10, blank=True)
    found_latitude = models.FloatField(null=True, blank=True)
    found_longitude = models.FloatField(null=True, blank=True)
    found_out_of_area = models.BooleanField(default=False)
    who_with = EncryptedTextField(blank=True)
    condition_on_return = models.CharField(max_length=12, choices=Condition.choices, blank=True)
    notes = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = MissingEpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["person", "started_at"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
            name="missing_episode_ends_after_it_starts")]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.started_at:%d %b %Y}"


class ReturnInterview(models.Model):
    """The independent return home interview, offered within 72 hours of the
    child's return (statutory guidance on children who run away or go missing)."""

    class Outcome(models.TextChoices):
        NOT_YET_OFFERED = "pending", "Not yet offered"
        ACCEPTED = "accepted", "Offered and accepted"
        DECLINED = "declined", "Offered and declined"
        NOT_APPLICABLE = "na", "Not applicable"

    episode = models.OneToOneField(MissingEpisode, on_delete=models.CASCADE, related_name="return_interview")
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.NOT_YET_OFFERED)
    offered_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    interviewer = models.CharField(max_length=200, blank=True)
    interviewer_agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+")
    child_said = EncryptedTextField(blank=True)
    # Indicator codes of the current screening tool that the interview found
    # present; a later screening is pre-filled from them.
    indicators_found = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
