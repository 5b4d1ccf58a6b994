"""The exploitation screening tool and the screenings made with it.

The tool is reference data: each version is a JSON definition (domains,
indicators with tier, weight and harm types, thresholds and override rules;
the format is documented in hoth/analytics/screening.py) loaded from a fixture
or uploaded by a system administrator. A screening keeps the version it was
scored with, so an old result can always be explained as it was given.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access.policy import ScopedQuerySet
from hoth.encryption import EncryptedTextField


class Level(models.TextChoices):
    """Ordered lowest first; hoth.analytics.screening uses the same codes."""

    NONE = "none", "No current concern"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium (emerging)"
    HIGH = "high", "High (significant)"


LEVEL_ORDER = [Level.NONE, Level.LOW, Level.MEDIUM, Level.HIGH]


class ScreeningTool(models.Model):
    version = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    definition = models.JSONField()
    is_current = models.BooleanField(default=False)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True, help_text="What changed from the previous version")

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_screening_tool"
            )
        ]

    def __str__(self):
        return f"{self.name} (version {self.version})"

    @classmethod
    def current(cls):
        return cls.objects.get(is_current=True)


class ScreeningQuerySet(ScopedQuerySet):
    def completed(self):
        return self.filter(status=Screening.Status.COMPLETE)


class Screening(models.Model):
    """One use of the tool for one child: the answers, the level the rules
    gave, and any professional judgement kept apart from the evidence."""

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        AWAITING_APPROVAL = "approval", "Waiting for approval to lower the level"
        COMPLETE = "complete", "Complete"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="screenings")
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screenings",
        help_text="Empty for a re-screen",
    )
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="screenings")
    tool = models.ForeignKey(ScreeningTool, on_delete=models.PROTECT, related_name="screenings")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screenings")
    screened_by_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # What the scoring function was told about the child, as it was then.
    child_age = models.PositiveSmallIntegerField(null=True, blank=True)
    learning_disability = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True)
    scored_level = models.CharField(max_length=6, choices=Level.choices, blank=True)
    explanation = models.JSONField(default=dict, blank=True, help_text="The scoring function's explanation")
    judgement_level = models.CharField(max_length=6, choices=Level.choices, blank=True)
    judgement_reason = EncryptedTextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who agreed to a lower level than the rules gave",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # A refused lowering leaves the rules' level standing; who refused and why stay on record.
    lowering_refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lowering_refused_at = models.DateTimeField(null=True, blank=True)
    lowering_refusal_reason = EncryptedTextField(blank=True)
    level = models.CharField(
        max_length=6,
        choices=Level.choices,
        blank=True,
        db_index=True,
        help_text="The level that stands: scored, or as judged and (if lower) approved",
    )

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at", "-started_at"]
        indexes = [models.Index(fields=["person", "completed_at"])]

    def __str__(self):
        return f"Screening {self.pk} of {self.person_id}"


class ScreeningAnswer(models.Model):
    class State(models.TextChoices):
        PRESENT = "present", "Present"
        NOT_PRESENT = "not_present", "Not present"
        UNKNOWN = "unknown", "Not known"

    class When(models.TextChoices):
        CURRENT = "current", "Now or in the last six months"
        EARLIER = "earlier", "More than six months ago"

    class Source(models.TextChoices):
        SEEN = "seen", "Seen by a professional"
        TOLD = "told", "Told by the child or someone else"
        RECORD = "record", "From a record"

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="answers")
    indicator = models.CharField(max_length=60, help_text="Indicator code in the screening's tool version")
    state = models.CharField(max_length=11, choices=State.choices)
    when = models.CharField(max_length=7, choices=When.choices, blank=True)
    evidence = EncryptedTextField(blank=True)
    source = models.CharField(max_length=6, choices=Source.choices, blank=True)
    prefilled_from = models.CharField(
        max_length=80, blank=True, help_text="e.g. return-interview:123 when a missing episode suggested it"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["screening", "indicator"], name="one_answer_per_indicator")]
