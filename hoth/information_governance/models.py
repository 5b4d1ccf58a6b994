"""The data protection officer's records.

* `RetentionRule`: one line of the retention schedule: a record type, what
  starts its clock (the trigger), how long, what then happens (delete,
  anonymise, review, or kept as exempt), the legal or policy basis in words
  and whether the data protection officer must approve it. Reference data,
  loaded from fixtures/retention_schedule.json; system administrators change
  periods, actions and wording, never which records a rule finds (that is
  code: hoth.information_governance.schedule).
* `RetentionReview`: a batch of records found past their trigger, proposed by
  the daily job and approved or rejected by the data protection officer;
  `RetentionItem` is one record in it, with its hold if it is held back.
* `SubjectAccessRequest`: a request under UK GDPR Article 15, with the bundle
  of everything held about the person as assembled, and its `Redaction`s,
  each with a reason from `RedactionReason` (reference data).
"""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access.policy import ScopedQuerySet
from hoth.encryption import EncryptedTextField
from hoth.people.models import new_reference


class RetentionAction(models.TextChoices):
    DELETE = "delete", "Delete"
    ANONYMISE = "anonymise", "Anonymise"
    REVIEW = "review", "Review"
    KEEP = "keep", "Keep: exempt from deletion"


class Trigger(models.TextChoices):
    """What starts a rule's clock. Each is worked out in code
    (hoth.information_governance.triggers); the schedule gives the period."""

    BIRTHDAY = "birthday", "The person's birthday"
    LAST_INTELLIGENCE_OR_LINK = "last_intelligence", "The last intelligence or link about them"
    LAST_ACTIVITY = "last_activity", "The last record about them"
    NO_FURTHER_ACTION = "no_further_action", "The decision of no further action"
    SUBMITTED = "submitted", "The day it was submitted"
    CONTEXT_LAST_RECORD = "context_last_record", "The last record about the place, group or online space"
    OCCURRED = "occurred", "The day it happened"
    REQUEST_CLOSED = "request_closed", "The day the request was closed"
    CREATED = "created", "The day it was made"
    EXPIRED = "expired", "The day it expired"
    LAST_CHANGED = "last_changed", "The day it was last changed"
    NONE = "none", "None: kept"


class RetentionRule(models.Model):
    """One line of the retention schedule. A rule the published schedule
    gave keeps its fixture `version` until an administrator changes it; a
    changed rule has none, and later loads leave it alone."""

    code = models.SlugField(max_length=60, unique=True)
    record_type = models.CharField(max_length=200, help_text="The record type, as practitioners call it")
    # app_label.Model the rule's records are; blank for a statement about
    # records that do not exist yet (aggregate snapshots).
    model = models.CharField(max_length=80, blank=True)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    period_years = models.PositiveSmallIntegerField(default=0)
    period_days = models.PositiveIntegerField(default=0)
    # A child's record is kept to their birthday, and not before this many
    # years after their last case closed.
    case_closed_years = models.PositiveSmallIntegerField(null=True, blank=True)
    action = models.CharField(max_length=10, choices=RetentionAction.choices)
    after_review = models.CharField(
        max_length=10,
        blank=True,
        choices=[(RetentionAction.DELETE, "Delete"), (RetentionAction.ANONYMISE, "Anonymise")],
        help_text="For a review: what happens if the reviewer does not keep the records",
    )
    review_again_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a review: kept records are reviewed again after this many years"
    )
    basis = models.TextField(help_text="The legal or policy basis, in words")
    needs_approval = models.BooleanField(
        default=True, help_text="Proposed to the data protection officer, rather than purged daily"
    )
    is_active = models.BooleanField(default=True)
    version = models.CharField(max_length=20, blank=True, help_text="Fixture version it came from")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self):
        return self.record_type

    @property
    def is_kept(self):
        return self.action == RetentionAction.KEEP

    @property
    def period_text(self):
        parts = []
        if self.period_years:
            parts.append(f"{self.period_years} year{'s' if self.period_years != 1 else ''}")
        if self.period_days:
            parts.append("24 hours" if self.period_days == 1 else f"{self.period_days} days")
        return " and ".join(parts)

    @property
    def trigger_text(self):
        """The trigger in words, from the trigger and the period as they stand."""
        period = self.period_text
        if self.trigger == Trigger.NONE:
            return "None: kept"
        if self.trigger == Trigger.BIRTHDAY:
            text = f"The person's {ordinal(self.period_years)} birthday"
            if self.case_closed_years:
                text += f", and not before {self.case_closed_years} years after their last case closed"
            return text
        phrase = {
            Trigger.LAST_INTELLIGENCE_OR_LINK: "after the last intelligence or link about them",
            Trigger.LAST_ACTIVITY: "after the last record about them",
            Trigger.NO_FURTHER_ACTION: "after the referral ended with no further action",
            Trigger.SUBMITTED: "after it was submitted",
            Trigger.CONTEXT_LAST_RECORD: "after the last record about it",
            Trigger.OCCURRED: "after it happened",
            Trigger.REQUEST_CLOSED: "after the request was closed",
            Trigger.CREATED: "after it was made",
            Trigger.EXPIRED: "after it expired",
            Trigger.LAST_CHANGED: "after it was last changed",
        }[self.trigger]
        return f"{period} {phrase}" if period else f"As soon as {phrase.removeprefix('after ')}"

    @property
    def outcome_text(self):
        if self.action == RetentionAction.REVIEW:
            after = dict(RetentionAction.choices).get(self.after_review, "").lower()
            again = (
                f"; kept records are reviewed again after {self.review_again_years} years"
                if self.review_again_years
                else ""
            )
            return f"Review: keep, or {after}{again}"
        return self.get_action_display()


def ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class RetentionReview(models.Model):
    """A batch of records past their trigger, for the data protection
    officer to approve or reject. Proposing deletes nothing."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for approval"
        APPROVED = "approved", "Approved: being carried out"
        REJECTED = "rejected", "Rejected"
        CARRIED_OUT = "carried_out", "Carried out"

    proposed_at = models.DateTimeField(default=timezone.now)
    # The moment the proposal was worked out for: records past their trigger then.
    due_by = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    schedule_version = models.CharField(max_length=40, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # For rules whose action is review: rule code -> "keep" or the rule's after_review action.
    decisions = models.JSONField(default=dict, blank=True)
    carried_out_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self):
        return f"Retention review {self.pk}"

    @property
    def is_open(self):
        return self.status == self.Status.PROPOSED


class RetentionItem(models.Model):
    """One record in a review. Holds ids and references, never names: it is
    kept as the record of what was erased, under which rule, by whose approval."""

    class Status(models.TextChoices):
        DUE = "due", "Due"
        HELD = "held", "Held back"
        DONE = "done", "Done"
        RETAINED = "retained", "Kept after review"
        NOT_DUE = "not_due", "No longer due when carried out"
        FAILED = "failed", "Failed: nothing changed"

    review = models.ForeignKey(RetentionReview, on_delete=models.PROTECT, related_name="items")
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="items")
    model = models.CharField(max_length=80)
    object_id = models.BigIntegerField()
    reference = models.CharField(max_length=40, help_text="The record's reference, or its type and number")
    person_id = models.BigIntegerField(null=True, blank=True, help_text="The person it concerns, if any")
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DUE, db_index=True)
    hold_reason = models.CharField(max_length=300, blank=True)
    action_taken = models.CharField(max_length=10, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    retained_until = models.DateField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    # The person's names and numbers, kept encrypted only until every other
    # record has been searched for them (erasure.scrub), then emptied.
    scrub_terms = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["rule__position", "due_on", "id"]
        indexes = [models.Index(fields=["model", "object_id"]), models.Index(fields=["review", "rule", "status"])]

    def __str__(self):
        return f"{self.reference} in {self.review}"

    @property
    def terms(self):
        return json.loads(self.scrub_terms) if self.scrub_terms else []


# ---------------------------------------------------------------- subject access


class RedactionReason(models.Model):
    """Reference data: why something is withheld from a subject access
    disclosure (an exemption of the Data Protection Act 2018, or third-party
    data). Loaded from fixtures/redaction_reasons.json."""

    code = models.CharField(max_length=12, unique=True, help_text="Printed in the black box, e.g. TP")
    name = models.CharField(max_length=120)
    basis = models.CharField(max_length=200, help_text="The provision, e.g. DPA 2018 Schedule 2 Part 3 paragraph 16")
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    version = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code}: {self.name}"


class SubjectAccessQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status=SubjectAccessRequest.Status.CLOSED)


class SubjectAccessRequest(models.Model):
    """A request for a copy of everything held about a person (UK GDPR
    Article 15), answered within one calendar month of receipt, extendable by
    two months for a complex request (Article 12(3))."""

    class Relationship(models.TextChoices):
        SELF = "self", "The person themselves"
        PARENT = "parent", "A parent or carer of a child"
        REPRESENTATIVE = "representative", "A solicitor or other representative acting for them"
        AUTHORITY = "authority", "Someone with legal authority (power of attorney or a court order)"

    class Verification(models.TextChoices):
        PHOTO_ID = "photo_id", "Photo identity and proof of address seen"
        KNOWN = "known", "Known to a practitioner, who confirmed who they are"
        SOLICITOR = "solicitor", "Signed authority from the person, and their identity confirmed by a solicitor"
        PARENTAL = "parental", "Parental responsibility confirmed and identity seen"
        OTHER = "other", "Another way (described below)"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        FOUND = "found", "Person found on the register"
        ASSEMBLED = "assembled", "Assembled: redactions being reviewed"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        DISCLOSED = "disclosed", "Disclosed in full"
        REDACTED = "redacted", "Disclosed with redactions"
        NOTHING_HELD = "nothing_held", "Nothing held about them"
        REFUSED = "refused", "Refused as manifestly unfounded or excessive"
        WITHDRAWN = "withdrawn", "Withdrawn by the requester"

    reference = models.CharField(max_length=12, unique=True, editable=False)
    requester_name = EncryptedTextField()
    relationship = models.CharField(max_length=14, choices=Relationship.choices)
    requester_contact = EncryptedTextField(help_text="Where the reply goes: a postal or email address")
    about = EncryptedTextField(help_text="Who it is about, as the requester described them")
    identity_verified_how = models.CharField(max_length=10, choices=Verification.choices)
    identity_details = EncryptedTextField(blank=True)
    received_on = models.DateField()
    due_on = models.DateField()
    extended_to = models.DateField(null=True, blank=True)
    extension_reason = EncryptedTextField(blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    # Everything held, as assembled: JSON, encrypted (it is a copy of the record).
    bundle = EncryptedTextField(blank=True)
    assembled_at = models.DateTimeField(null=True, blank=True)
    assembled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closure_note = EncryptedTextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = SubjectAccessQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference("S")
        super().save(*args, **kwargs)

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def deadline(self):
        return self.extended_to or self.due_on

    def days_left(self, today=None):
        return (self.deadline - (today or timezone.localdate())).days

    @property
    def content(self):
        return json.loads(self.bundle) if self.bundle else None


class Redaction(models.Model):
    """One thing withheld from the disclosure, or released by the data
    protection officer: a whole item (`field_key` empty), one field of an
    item, or some words wherever they appear (`item_key` empty). Made by
    default when the bundle is assembled; each change by the officer is
    audited with its reason."""

    class Source(models.TextChoices):
        DEFAULT = "default", "Redacted by default"
        OFFICER = "officer", "Added by the data protection officer"

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="redactions")
    item_key = models.CharField(max_length=80, blank=True)
    field_key = models.CharField(max_length=60, blank=True)
    words = EncryptedTextField(blank=True)
    is_redacted = models.BooleanField(default=True)
    reason = models.ForeignKey(RedactionReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.DEFAULT)
    why = models.CharField(max_length=200, blank=True, help_text="Why the default applies, e.g. 'another child'")
    note = EncryptedTextField(blank=True, help_text="The officer's reason for the last change")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["request", "item_key"])]

    @property
    def scope(self):
        if not self.item_key:
            return "words"
        return "field" if self.field_key else "item"
