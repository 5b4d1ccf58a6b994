"""Referrals: a partner's concern about a child or about a context, the front
door's way in. A referral is drafted one question at a time; once submitted it
is never edited, only added to (ReferralAddition), so what the referrer said
stays as they said it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access.policy import ScopedQuerySet
from hoth.encryption import EncryptedTextField
from hoth.people.models import SharingDecision, new_reference

# The harm type whose details the referrer types in.
OTHER_HARM = "other"
# Sharing without consent needs a basis other than consent itself.
BASES_WITHOUT_CONSENT = [c for c in SharingDecision.LawfulBasis.choices if c[0] != SharingDecision.LawfulBasis.CONSENT]
# Hint text from the seven golden rules of information sharing (2024) and the
# Data Protection Act 2018, shown beside each basis.
BASIS_HINTS = {
    SharingDecision.LawfulBasis.PUBLIC_TASK: (
        "For most referrals. Consent is not needed where a child is or may be at risk of harm. DPA 2018 "
        "Schedule 1 paragraph 18 allows sharing to protect a child from harm without consent where asking would "
        "put them at risk, cannot reasonably be expected, or cannot be given."
    ),
    SharingDecision.LawfulBasis.LEGAL_OBLIGATION: (
        "Where the law requires you to share, for example an enquiry under section 47 of the Children Act 1989."
    ),
    SharingDecision.LawfulBasis.VITAL_INTERESTS: (
        "Only to protect someone's life, when they cannot consent: for example a child missing and in danger now."
    ),
}


class HarmType(models.Model):
    """Reference data (Working Together 2023, extra-familial harm): loaded from
    hoth/referrals/fixtures/harm_types.json by load_reference_data."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    short_name = models.CharField(max_length=30, help_text="For tables and tags, e.g. CCE")
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ReferralQuerySet(ScopedQuerySet):
    def submitted(self):
        return self.exclude(status=Referral.Status.DRAFT)


class Referral(models.Model):
    class Subject(models.TextChoices):
        CHILD = "child", "A child"
        CONTEXT = "context", "A place, group, school or online space"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting to be screened"
        SCREENED = "screened", "Screened"
        DECIDED = "decided", "Decided at meeting"
        CLOSED = "closed", "Closed"

    class Source(models.TextChoices):
        WEB = "web", "Online form"
        API = "api", "Partner system"

    class Consent(models.TextChoices):
        GIVEN = "given", "Yes, the child or family agreed"
        REFUSED = "refused", "No, consent was refused"
        NOT_SOUGHT = "not_sought", "Consent was not sought"

    reference = models.CharField(max_length=12, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    source = models.CharField(max_length=3, choices=Source.choices, default=Source.WEB)
    subject = models.CharField(max_length=7, choices=Subject.choices, default=Subject.CHILD)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    context = models.ForeignKey(
        "contexts.Context", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    harm_types = models.ManyToManyField(HarmType, blank=True, related_name="referrals")
    harm_other = models.CharField(max_length=200, blank=True, help_text="When 'other' is chosen")
    what_happened = EncryptedTextField(blank=True)
    happened_on = models.DateField(null=True, blank=True, help_text="When it happened, or last happened, if known")
    child_words = EncryptedTextField(blank=True, help_text="What the child says, in their own words")
    immediate_danger = models.BooleanField(null=True, blank=True)
    is_urgent = models.BooleanField(default=False, db_index=True)
    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made")
    referrer_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="referrals_made")
    referrer_role = models.CharField(max_length=120, blank=True, help_text="e.g. Designated safeguarding lead")
    referrer_phone = models.CharField(max_length=20, blank=True)
    consent = models.CharField(max_length=10, choices=Consent.choices, blank=True)
    consent_reason = EncryptedTextField(blank=True, help_text="Why consent was not sought, or what was refused")
    lawful_basis = models.CharField(
        max_length=20, blank=True, help_text="SharingDecision.LawfulBasis when sharing without consent"
    )
    sharing_decision = models.ForeignKey(
        "people.SharingDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where a partner system or a retried browser submission sends the same
    # key twice, the second submission returns the first referral.
    idempotency_key = models.CharField(max_length=80, blank=True)
    # A hash of the API request body sent with the key: the same key with a
    # different body is a client's mistake, refused rather than replayed.
    idempotency_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The coordinator's screening clock runs from here (see hoth.referrals.service_standard).
    screen_by = models.DateTimeField(null=True, blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referrer", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="referral_idempotency_per_referrer",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(person__isnull=False) | models.Q(context__isnull=False),
                name="submitted_referral_has_subject",
            ),
        ]
        indexes = [models.Index(fields=["person", "submitted_at"]), models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference("R")
        super().save(*args, **kwargs)

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class NamedAssociate(models.Model):
    """Someone or somewhere the referrer names. Kept as the referrer wrote it:
    an analyst may later turn it into a graded link (never treated as fact)."""

    class Kind(models.TextChoices):
        PERSON = "person", "A person"
        PLACE = "place", "A place"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="associates")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    name = models.CharField(max_length=200)
    details = EncryptedTextField(blank=True, help_text="Relationship, description, vehicle, address")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    context = models.ForeignKey("contexts.Context", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return self.name


class ReferralAddition(models.Model):
    """Information added to a submitted referral; the referral itself never changes."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="additions")
    text = EncryptedTextField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_by_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
