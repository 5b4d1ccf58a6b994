"""Disrupting the people, places, groups, vehicles, phones and online accounts
behind children's exploitation ("increase the use of civil orders",
"mobilise regulatory bodies such as Trading Standards").

* A `Tactic` is one entry of the catalogue: an order or notice of the Home
  Office Child Exploitation Disruption Toolkit with its statute, who can
  apply, thresholds and duration, or a non-legal tactic. Reference data,
  loaded from fixtures/tactics.json and extended by administrators.
* A `DisruptionPlan` is the partnership's plan against one subject of
  intelligence (hoth.intelligence.models.Subject), reviewed at the Child
  Exploitation Operational Panel or between panels (`DisruptionPlanReview`).
* A `DisruptionActivity` is one tactic used against the subject: applied for,
  granted, breached (`Breach`), expired; with the children it protects and
  the intelligence it rests on. Its status follows hoth.disruption.flow.

Who may see what is decided in hoth.disruption.access: every
query here goes through the `visible_to` managers.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access.policy import ScopedQuerySet
from hoth.encryption import EncryptedTextField
from hoth.intelligence.models import Subject
from hoth.people.models import new_reference

from . import flow


class TacticKind(models.TextChoices):
    CIVIL_ORDER = flow.CIVIL_ORDER, "Civil order"
    NOTICE = flow.NOTICE, "Notice"
    CRIMINAL_ORDER = flow.CRIMINAL_ORDER, "Criminal-justice order"
    REGULATORY = flow.REGULATORY, "Regulatory action"
    NON_LEGAL = flow.NON_LEGAL, "Non-legal tactic"


class Tactic(models.Model):
    """One tactic of the catalogue. A tactic from the published list keeps
    the fixture `version` it came from until an administrator changes it; a
    changed or added one has none, and later loads leave it alone."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=14, choices=TacticKind.choices)
    statute = models.CharField(max_length=300, blank=True)
    statute_verified = models.BooleanField(default=False, help_text="Checked against the legislation")
    who_can_apply = models.TextField(blank=True)
    thresholds = models.TextField(blank=True)
    duration_notes = models.TextField(blank=True)
    # Orders of this kind always end on a date the order gives, so it must be recorded.
    has_duration = models.BooleanField(default=False)
    # The kinds of subject (Subject.Kind values) it can be used against.
    subject_kinds = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    version = models.CharField(max_length=20, blank=True, help_text="Fixture version it came from")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def applies_to(self, kind):
        return kind in self.subject_kinds

    @property
    def subject_kind_labels(self):
        return [label for value, label in Subject.Kind.choices if value in self.subject_kinds]

    @property
    def is_legal(self):
        return self.kind != TacticKind.NON_LEGAL


def expiring_window(today, days, prefix=""):
    """The lookups for an expiry date from today to `days` days ahead: what "expiring soon" means."""
    return {f"{prefix}expires_on__gte": today, f"{prefix}expires_on__lte": today + timedelta(days=days)}


class PlanQuerySet(ScopedQuerySet):
    def review_due(self, today):
        """Open plans past their review date."""
        return self.filter(status=DisruptionPlan.Status.OPEN, next_review_on__lt=today)


class DisruptionPlan(models.Model):
    """The partnership's plan against one subject: what it means to achieve,
    who owns it, and when it is next reviewed."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    subject = models.OneToOneField(Subject, on_delete=models.PROTECT, related_name="disruption_plan")
    objective = EncryptedTextField(blank=True, help_text="What the plan means to achieve")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="disruption_plans")
    lead_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN, db_index=True)
    next_review_on = models.DateField(null=True, blank=True, db_index=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["next_review_on", "id"]

    def __str__(self):
        return f"Disruption plan for {self.subject.reference}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def review_overdue(self, today):
        return self.is_open and self.next_review_on is not None and self.next_review_on < today


class ActivityQuerySet(ScopedQuerySet):
    def in_force(self):
        return self.filter(status=flow.IN_FORCE)

    def expiring(self, today, days):
        """In force, with an expiry date from today to `days` days ahead."""
        return self.in_force().filter(**expiring_window(today, days))


class OutcomeAssessment(models.TextChoices):
    DISRUPTED = "disrupted", "It disrupted the exploitation"
    PARTLY = "partly", "It partly disrupted the exploitation"
    NO_EFFECT = "no_effect", "It made no difference"
    TOO_EARLY = "too_early", "Too early to say"


class DisruptionActivity(models.Model):
    """One tactic used against a subject, within the subject's plan."""

    class Status(models.TextChoices):
        PLANNED = flow.PLANNED, flow.LABELS[flow.PLANNED]
        APPLIED = flow.APPLIED, flow.LABELS[flow.APPLIED]
        IN_FORCE = flow.IN_FORCE, flow.LABELS[flow.IN_FORCE]
        REFUSED = flow.REFUSED, flow.LABELS[flow.REFUSED]
        EXPIRED = flow.EXPIRED, flow.LABELS[flow.EXPIRED]
        DISCHARGED = flow.DISCHARGED, flow.LABELS[flow.DISCHARGED]
        COMPLETED = flow.COMPLETED, flow.LABELS[flow.COMPLETED]
        WITHDRAWN = flow.WITHDRAWN, flow.LABELS[flow.WITHDRAWN]

    reference = models.CharField(max_length=12, unique=True, editable=False)
    plan = models.ForeignKey(DisruptionPlan, on_delete=models.PROTECT, related_name="activities")
    # The plan's subject, kept on the activity so the access gate reads one column.
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="disruption_activities")
    tactic = models.ForeignKey(Tactic, on_delete=models.PROTECT, related_name="activities")
    lead_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="disruption_activities",
        help_text="The lead officer",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True)
    applied_on = models.DateField(null=True, blank=True)
    granted_on = models.DateField(null=True, blank=True, help_text="Granted, issued or started: when it took effect")
    expires_on = models.DateField(null=True, blank=True, db_index=True, help_text="The last day it is in force")
    ended_on = models.DateField(null=True, blank=True, help_text="Refused, discharged, completed or withdrawn on")
    details = EncryptedTextField(blank=True, help_text="Its conditions, prohibitions and other details")
    outcome = EncryptedTextField(blank=True)
    outcome_assessment = models.CharField(max_length=9, choices=OutcomeAssessment.choices, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    children = models.ManyToManyField(
        "people.Person",
        blank=True,
        related_name="disruption_activities",
        help_text="The children it is meant to protect",
    )
    intelligence = models.ManyToManyField(
        "intelligence.IntelligenceReport", blank=True, related_name="disruption_activities"
    )
    # The expiry reminders: each told once (hoth.disruption.reminders).
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    expired_told_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "disruption activities"
        indexes = [models.Index(fields=["status", "expires_on"])]
        constraints = [
            models.CheckConstraint(
                name="disruption_granted_after_applied",
                condition=models.Q(applied_on__isnull=True)
                | models.Q(granted_on__isnull=True)
                | models.Q(granted_on__gte=models.F("applied_on")),
            ),
            models.CheckConstraint(
                name="disruption_expires_after_granted",
                condition=models.Q(granted_on__isnull=True)
                | models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gt=models.F("granted_on")),
            ),
            models.CheckConstraint(
                name="disruption_in_force_has_start",
                condition=~models.Q(status__in=[flow.IN_FORCE, flow.EXPIRED, flow.DISCHARGED, flow.COMPLETED])
                | models.Q(granted_on__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.tactic} ({self.reference})"

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference("D")
        super().save(*args, **kwargs)

    @property
    def status_label(self):
        return flow.label(self.tactic.kind, self.status)

    @property
    def is_in_force(self):
        return self.status == flow.IN_FORCE

    @property
    def started_label(self):
        return flow.started_label(self.tactic.kind)

    def expiring_within(self, today, days):
        from datetime import timedelta

        return (
            self.is_in_force
            and self.expires_on is not None
            and today <= self.expires_on <= today + timedelta(days=days)
        )

    def past_expiry(self, today):
        return self.is_in_force and self.expires_on is not None and self.expires_on < today


class Breach(models.Model):
    """A breach of an order or notice: when, what, and what was done about it.
    The order stays in force: a breach is dealt with, not an ending."""

    class Action(models.TextChoices):
        ARRESTED = "arrested", "Arrested"
        CHARGED = "charged", "Charged or summonsed"
        REPORTED = "reported", "Reported to the court or to whoever applied for it"
        WARNED = "warned", "Warning given"
        NONE = "none", "No further action"
        OTHER = "other", "Something else"

    activity = models.ForeignKey(DisruptionActivity, on_delete=models.PROTECT, related_name="breaches")
    occurred_on = models.DateField()
    what = EncryptedTextField(help_text="What happened")
    action = models.CharField(max_length=8, choices=Action.choices)
    action_details = EncryptedTextField(blank=True)
    police_reference = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name_plural = "breaches"


class DisruptionPlanReview(models.Model):
    """A review of the plan, at a panel (with the agenda item it was taken
    at) or between panels."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue the plan"
        CHANGE = "change", "Change the plan"
        CLOSE = "close", "Close the plan"

    plan = models.ForeignKey(DisruptionPlan, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    agenda_item = models.ForeignKey(
        "panels.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disruption_reviews",
        help_text="The panel item it was taken at",
    )
    what_changed = EncryptedTextField(help_text="What has changed since the plan began or was last reviewed")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    next_review_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-id"]
