"""A child's harm-outside-the-home case, and the missing episodes recorded
about a child whether or not a case is open.

The front door opens cases (a screening-meeting decision or a coordinator);
the Protect work builds the case out with plans, reviews and closure.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access.policy import ScopedQuerySet
from hoth.encryption import EncryptedTextField
from hoth.people.models import new_reference


class CaseQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status=Case.Status.OPEN)


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=12, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN, db_index=True)
    lead_professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases_led")
    harm_types = models.ManyToManyField("referrals.HarmType", blank=True, related_name="cases")
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    # A referral or case within 12 months of an earlier case's closure: harm has come back.
    repeat_harm = models.BooleanField(default=False)
    # Optimistic locking: a save carries the version it read (see issue 4).
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="open"), name="one_open_case_per_child"
            )
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference("K")
        super().save(*args, **kwargs)


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
    reported_by_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["person", "started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="missing_episode_ends_after_it_starts",
            )
        ]

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
    interviewer_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    child_said = EncryptedTextField(blank=True)
    # Indicator codes of the current screening tool that the interview found
    # present; a later screening is pre-filled from them.
    indicators_found = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)


# ------------------------------------------------------------------ issue 4


class CaseMember(models.Model):
    """A practitioner on the child's case team. Someone from another agency than
    the lead professional's joins through a recorded sharing decision; their
    Involvement is what lets them see the child, and ends when they leave."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=120, help_text="Their role in the case, e.g. 'Youth worker'")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sharing_decision = models.ForeignKey(
        "people.SharingDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    involvement = models.ForeignKey(
        "people.Involvement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=models.Q(removed_at__isnull=True), name="case_member_once"
            )
        ]

    def __str__(self):
        return f"{self.user} on {self.case}"


class ContextKind(models.TextChoices):
    FAMILY = "family", "Family"
    PEERS = "peers", "Peers"
    SCHOOL = "school", "School"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
    ONLINE = "online", "Online"


class ContextualAssessment(models.Model):
    """One version of the contextual assessment of a child's case. A change is a
    new version; earlier ones are kept and shown as history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    number = models.PositiveIntegerField()
    primary_context = models.CharField(
        max_length=13,
        choices=ContextKind.choices,
        help_text="The context that must change first for the child to be safer",
    )
    primary_reason = EncryptedTextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="assessment_version_once")]

    def __str__(self):
        return f"Contextual assessment {self.number} of {self.case}"


class AssessedContext(models.Model):
    assessment = models.ForeignKey(ContextualAssessment, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=13, choices=ContextKind.choices)
    strengths = EncryptedTextField(blank=True)
    risks = EncryptedTextField(blank=True)
    contexts = models.ManyToManyField("contexts.Context", blank=True, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "kind"], name="assessed_context_once")]


class CaseNote(models.Model):
    """A contact with the child or family, or a note on the case. A restricted
    note is seen only by users of the named agencies and its author."""

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        PHONE = "phone", "Phone call"
        MEETING = "meeting", "Meeting"
        ONLINE = "online", "Online"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    happened_on = models.DateField()
    happened_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(max_length=7, choices=Kind.choices)
    who = EncryptedTextField(help_text="Who was there or spoken to")
    what = EncryptedTextField()
    is_restricted = models.BooleanField(default=False)
    restricted_to = models.ManyToManyField("accounts.Agency", blank=True, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-written_at"]

    def summary(self):
        return self.summary_of(self.what)

    @staticmethod
    def summary_of(what):
        text = " ".join((what or "").split())
        return text if len(text) <= 140 else text[:139] + "…"


class CaseStatusChange(models.Model):
    """A closure or a reopening of the case, with its reasons."""

    class Kind(models.TextChoices):
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"

    class Reason(models.TextChoices):
        RISK_REDUCED = "risk_reduced", "Risk reduced"
        MOVED = "moved", "Moved to another area"
        TURNED_18 = "turned_18", "Turned 18"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reason = models.CharField(max_length=12, choices=Reason.choices, blank=True)
    reason_other = models.CharField(max_length=300, blank=True)
    outcome_summary = EncryptedTextField(blank=True)
    receiving_area = models.CharField(max_length=200, blank=True, help_text="The receiving partnership")
    transfer_summary = EncryptedTextField(blank=True)
    adult_services_transition = EncryptedTextField(blank=True)
    reopen_reason = EncryptedTextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]


class NrmReferral(models.Model):
    """A referral of a child to the National Referral Mechanism (modern slavery)
    and its Reasonable Grounds and Conclusive Grounds decisions."""

    class Route(models.TextChoices):
        NATIONAL = "national", "Single Competent Authority (national)"
        DEVOLVED = "devolved", "Devolved child decision-making panel"

    class Outcome(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="nrm_referrals")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="nrm_referrals")
    first_responder = models.CharField("First responder organisation", max_length=200)
    referred_on = models.DateField()
    route = models.CharField(max_length=8, choices=Route.choices)
    rg_decided_on = models.DateField("Reasonable grounds decision date", null=True, blank=True)
    rg_outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    cg_decided_on = models.DateField("Conclusive grounds decision date", null=True, blank=True)
    cg_outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
