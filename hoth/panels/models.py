"""Multi-agency meetings: the Weekly Contextual Safeguarding Screening Meeting
now, the Child Exploitation Operational Panel later (issue 4).

What a meeting decides is recorded item by item while it runs and takes
effect only when the chair confirms the meeting: then cases are opened,
actions become tasks and their owners are told (hoth.panels.services).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access.policy import ScopedQuerySet
from hoth.encryption import EncryptedTextField


class Meeting(models.Model):
    class Kind(models.TextChoices):
        SCREENING = "screening", "Weekly Contextual Safeguarding Screening Meeting"
        PANEL = "panel", "Child Exploitation Operational Panel"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=9, choices=Kind.choices, default=Kind.SCREENING, db_index=True)
    starts_at = models.DateTimeField(db_index=True)
    location = models.CharField(max_length=200, blank=True, help_text="Room, or online")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_chaired")
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.PLANNED, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.get_kind_display()}, {timezone.localtime(self.starts_at):%-d %B %Y}"

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Did not attend"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200, help_text="As recorded in the minutes")
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.PRESENT)

    class Meta:
        ordering = ["agency__name", "name"]


class Decision(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action, with advice"
    EARLY_HELP = "early_help", "Early help"
    SINGLE_AGENCY = "single_agency", "Single-agency response"
    STRATEGY_DISCUSSION = "strategy", "Strategy discussion (section 47, Children Act 1989)"
    REFER_TO_PANEL = "panel", "Refer to the Child Exploitation Operational Panel"
    NRM_REFERRAL = "nrm", "National Referral Mechanism referral"
    OPEN_CASE = "open_case", "Open a harm-outside-the-home case"


class PanelDecision(models.TextChoices):
    """What the Child Exploitation Operational Panel decides about an item.
    Kept as fixed choices like the screening meeting's Decision: the tracker,
    the minutes and the escalation read them, and none of them changes what
    confirming does (each needs its actions recorded by hand). Moving both
    lists to administrator-maintained reference data is one change for both."""

    CONTINUE_OVERSIGHT = "continue", "Continue panel oversight"
    STEP_DOWN = "step_down", "Step down to a single-agency response"
    DISRUPTION_PLAN = "disruption", "Agree a disruption plan"
    ESCALATE = "escalate", "Escalate to the strategic group"
    NRM_REFERRAL = "nrm", "National Referral Mechanism referral"
    NOTED = "noted", "Noted, no further panel action"


class Section(models.TextChoices):
    """The panel's agenda, in the order it is taken."""

    HIGH = "high", "Children at High level"
    REFERRED = "referred", "Children referred from the screening meeting"
    PERSON = "person", "Persons of concern"
    PLACE = "place", "Places of concern"
    THEME = "theme", "Themes and trends"


SECTION_ORDER = list(Section.values)
CHILD_SECTIONS = (Section.HIGH, Section.REFERRED)


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        NEW_REFERRAL = "referral", "New referral"
        RESCREEN = "rescreen", "Re-screen"

    class Status(models.TextChoices):
        # The service proposes items from what was screened since the last
        # meeting; the coordinator accepts or removes each. A removed item is
        # kept so the next proposal does not offer it again.
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "On the agenda"
        REMOVED = "removed", "Taken off the agenda"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACCEPTED, db_index=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.NEW_REFERRAL)
    # A screening-meeting item is always about a child (services and forms
    # insist); a panel item may be about a place or a theme instead.
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    section = models.CharField(
        max_length=8,
        choices=Section.choices,
        blank=True,
        help_text="Panel agenda section; empty for the screening meeting",
    )
    context = models.ForeignKey(
        "contexts.Context",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        help_text="A place of concern",
    )
    theme = models.CharField(max_length=200, blank=True, help_text="A theme or trend")
    panel_decision = models.CharField(max_length=10, choices=PanelDecision.choices, blank=True)
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    screening = models.ForeignKey(
        "screening.Screening", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    decision = models.CharField(max_length=13, choices=Decision.choices, blank=True)
    rationale = EncryptedTextField(blank=True)
    advice = EncryptedTextField(blank=True, help_text="Advice given with no further action or early help")
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="When the decision opens a case",
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The case this decision opened, once the meeting is confirmed",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            # The screening meeting discusses children only.
            models.CheckConstraint(
                name="screening_item_has_person", condition=~models.Q(section="") | models.Q(person__isnull=False)
            ),
            # Each panel section has its own kind of subject.
            models.CheckConstraint(
                name="panel_item_has_its_subject",
                condition=(
                    models.Q(section="")
                    | models.Q(section__in=["high", "referred", "person"], person__isnull=False)
                    | models.Q(section="place", context__isnull=False)
                    | (models.Q(section="theme") & ~models.Q(theme=""))
                ),
            ),
        ]

    def __str__(self):
        return f"Item {self.position} of {self.meeting}"

    @property
    def subject_reference(self):
        """What identifies the item without naming anyone."""
        if self.person_id:
            return self.person.reference
        if self.context_id:
            return self.context.reference
        return self.theme

    @property
    def decided(self):
        return bool(self.panel_decision if self.section else self.decision)


class AgencyContribution(models.Model):
    """What one agency brings to an item. Shown to the coordinators running the
    meeting and to the agency that gave it, never to other practitioners."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="contributions")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency__name", "recorded_at"]


class MeetingAction(models.Model):
    """An action agreed at the meeting; it becomes a Task when the meeting is confirmed."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    task = models.OneToOneField(
        "tasks.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_action"
    )
    # When the panel chair was told this action is overdue: once per action.
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
