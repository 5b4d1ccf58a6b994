"""Contexts: the places, peer groups, schools and online spaces where harm
happens (Contextual Safeguarding, Level 2). A context can be the subject of a
referral as a child can; the Pursue work assesses, plans for and reviews them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access.policy import ScopedQuerySet
from hoth.encryption import EncryptedTextField
from hoth.people.models import new_reference


class Context(models.Model):
    class Kind(models.TextChoices):
        PLACE = "place", "A place"
        PEER_GROUP = "peer_group", "A peer group"
        SCHOOL = "school", "A school or college"
        ONLINE = "online", "An online space"

    class PlaceType(models.TextChoices):
        PARK = "park", "Park or open space"
        TAKEAWAY = "takeaway", "Takeaway or restaurant"
        HOTEL = "hotel", "Hotel or short-let"
        SHOP = "shop", "Shop"
        TAXI_FIRM = "taxi_firm", "Taxi firm"
        STATION = "station", "Station or transport hub"
        HOUSE = "house", "House or flat"
        SCHOOL = "school", "School"
        OTHER = "other", "Other"

    reference = models.CharField(max_length=12, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=200, help_text="What practitioners call it")
    place_type = models.CharField(max_length=12, choices=PlaceType.choices, blank=True)
    address = models.CharField(max_length=300, blank=True)
    town = models.CharField(max_length=80, blank=True, db_index=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    school = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"type": "education"},
    )
    platform = models.CharField(max_length=80, blank=True, help_text="For online spaces")
    handle = models.CharField(max_length=200, blank=True, help_text="Account, group or channel")
    description = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set by a review that closes the Level 2 work; a new assessment reopens it.
    closed_on = models.DateField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference("C")
        super().save(*args, **kwargs)


# ------------------------------------------------------------ Level 2 (issue 5)


class Town(models.Model):
    """Reference data: a town of the partnership or a neighbouring one, as a
    point and a label on maps drawn without a tile server."""

    name = models.CharField(max_length=80, unique=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    in_partnership = models.BooleanField(default=True)

    class Meta:
        ordering = ["-in_partnership", "name"]

    def __str__(self):
        return self.name


class ContextAssessment(models.Model):
    """One version of the assessment of a context (Contextual Safeguarding,
    Level 2): who uses it and when, what happens there, its risks, what
    protects children there and who could act as guardians. A change is a
    new version; earlier ones are kept."""

    class Concern(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    context = models.ForeignKey(Context, on_delete=models.CASCADE, related_name="assessments")
    number = models.PositiveIntegerField()
    who_uses = EncryptedTextField(help_text="Who uses it: children, adults, staff")
    when_used = models.CharField(max_length=300, blank=True, help_text="When: days, times, seasons")
    dynamics = EncryptedTextField(help_text="What happens there, and how it draws children in")
    risks = EncryptedTextField()
    protective_factors = EncryptedTextField(blank=True)
    guardians = EncryptedTextField(blank=True, help_text="Staff, residents, businesses who could make it safer")
    concern = models.CharField(max_length=6, choices=Concern.choices)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["context", "number"], name="context_assessment_version_once")]

    def __str__(self):
        return f"Assessment {self.number} of {self.context}"


class ContextAction(models.Model):
    """An action for a partner in the context's plan; it becomes a Task for its
    owner and keeps its status there."""

    class Kind(models.TextChoices):
        PATROLS = "patrols", "Patrols"
        GUARDIANSHIP = "guardianship", "Guardianship training for staff"
        LICENSING = "licensing", "Licensing review"
        TRADING_STANDARDS = "trading_standards", "Trading Standards action"
        DESIGN = "design", "Changes to the place's design"
        SCHOOL = "school", "School response"
        CAMPAIGN = "campaign", "Awareness campaign"
        ONLINE = "online", "Platform takedown or report"
        OTHER = "other", "Other"

    context = models.ForeignKey(Context, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=17, choices=Kind.choices)
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    task = models.OneToOneField(
        "tasks.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="context_action"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]


class ContextReview(models.Model):
    """A review of the context's plan: what changed, and whether the work goes on."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", "Continue the plan"
        STEP_DOWN = "step_down", "Step down to a single agency"
        CLOSE = "close", "Close: the context is safer"

    context = models.ForeignKey(Context, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    summary = EncryptedTextField(help_text="What has changed since the plan began")
    outcome = models.CharField(max_length=9, choices=Outcome.choices)
    next_review_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-id"]


class Incident(models.Model):
    """Something that happened at a place: what hotspot analysis counts as an
    incident, beside missing children found, intelligence and referrals."""

    class Kind(models.TextChoices):
        ASB = "asb", "Anti-social behaviour"
        DRUGS = "drugs", "Drug supply or use"
        VIOLENCE = "violence", "Violence or weapons"
        SEXUAL = "sexual", "Sexual exploitation concern"
        EXPLOITATION = "exploitation", "Children seen with adults of concern"
        OTHER = "other", "Other"

    place = models.ForeignKey(Context, on_delete=models.PROTECT, related_name="incidents")
    occurred_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    harm_type = models.ForeignKey(
        "referrals.HarmType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = EncryptedTextField(blank=True)
    police_reference = models.CharField(max_length=40, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
