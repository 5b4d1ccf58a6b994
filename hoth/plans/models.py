"""A child's safety and support plan, its versions, and the reviews of it.

One plan per case, changed many times: every save moves the plan on one
version and keeps a snapshot of what it said (PlanVersion), so nothing a
child was promised is ever lost. Saves carry the version they read
(optimistic locking): the second of two people editing at once is shown
the conflict instead of silently overwriting the first.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access.policy import ScopedQuerySet
from hoth.encryption import EncryptedTextField


class Plan(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="plan")
    # The child's own words, kept as they said them.
    child_wants = EncryptedTextField("What I want to happen", blank=True)
    child_trusts = EncryptedTextField("Who I trust", blank=True)
    family_views = EncryptedTextField("What my family think", blank=True)
    review_date = models.DateField(null=True, blank=True)
    # The lead professional's task to hold the next review, due on review_date.
    review_task = models.OneToOneField(
        "tasks.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_review"
    )
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return f"Safety and support plan for {self.case}"


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = EncryptedTextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class PlanAction(models.Model):
    """Something someone will do for the child. Its owner gets a task; the
    task and the action keep the same status."""

    class Status(models.TextChoices):
        TO_DO = "to_do", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    what = EncryptedTextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_actions")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=11, choices=Status.choices, default=Status.TO_DO)
    task = models.OneToOneField(
        "tasks.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_action"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]

    @property
    def is_overdue(self):
        return self.status in (self.Status.TO_DO, self.Status.IN_PROGRESS) and self.due_date < timezone.localdate()


class ServiceReferral(models.Model):
    """A referral from the plan to a service in the support directory."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        REFERRED = "referred", "Referred"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        STARTED = "started", "Started"
        FINISHED = "finished", "Finished"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="service_referrals")
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="plan_referrals")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PROPOSED)
    proposed_on = models.DateField(default=timezone.localdate)
    referred_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField("Accepted or declined on", null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)
    note = EncryptedTextField(blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposed_on", "id"]

    # The date each status is reached on, so the record shows the whole path.
    DATE_FOR_STATUS = {
        "referred": "referred_on",
        "accepted": "decided_on",
        "declined": "decided_on",
        "started": "started_on",
        "finished": "finished_on",
    }


class PlanVersion(models.Model):
    """What the plan said after one save, who saved it, and what changed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    what_changed = models.CharField(max_length=300)
    # The whole plan as JSON text, encrypted: it holds the child's words.
    snapshot = EncryptedTextField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")]


class Review(models.Model):
    """A review of the case and its plan. The ratings and counts are fields,
    not text: the KPIs read them."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    plan_version = models.PositiveIntegerField(null=True, blank=True)
    child_feels_safe = models.PositiveSmallIntegerField(null=True, blank=True)
    child_wellbeing = models.PositiveSmallIntegerField(null=True, blank=True)
    practitioner_rating = models.PositiveSmallIntegerField()
    school_attendance = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Percentage of sessions attended since the last review",
    )
    missing_episodes_since_last = models.PositiveIntegerField(default=0)
    period_start = models.DateField(help_text="The last review, or the day the case opened")
    what_changed = EncryptedTextField()
    next_review_date = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(child_feels_safe__lte=10), name="review_safe_0_10"),
            models.CheckConstraint(condition=models.Q(child_wellbeing__lte=10), name="review_wellbeing_0_10"),
            models.CheckConstraint(condition=models.Q(practitioner_rating__lte=10), name="review_practitioner_0_10"),
            models.CheckConstraint(
                condition=models.Q(school_attendance__gte=0, school_attendance__lte=100)
                | models.Q(school_attendance__isnull=True),
                name="review_attendance_percent",
            ),
        ]

    def __str__(self):
        return f"Review of {self.case} on {self.held_on:%d %b %Y}"
