"""Multi-agency meetings: the Weekly Contextual Safeguarding Screening Meeting
now, the Child Exploitation Operational Panel later (issue 4).

What a meeting decides is recorded item by item while it runs and takes
effect only when the chair confirms the meeting: then cases are opened,
actions become tasks and their owners are told (hoth.panels.services).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access import policy
from hoth.people.encryption import EncryptedTextField


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return policy.visible_meetings(user, self)


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
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

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
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
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
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="agenda_items")
    referral = models.ForeignKey("referrals.Referral", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="agenda_items")
    screening = models.ForeignKey("screening.Screening", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="agenda_items")
    decision = models.CharField(max_length=13, choices=Decision.choices, blank=True)
    rationale = EncryptedTextField(blank=True)
    advice = EncryptedTextField(blank=True, help_text="Advice given with no further action or early help")
    lead_professional = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", help_text="When the decision opens a case")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="The case this decision opened, once the meeting is confirmed")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "id"]

    def __str__(self):
        return f"Item {self.position} of {self.meeting}"


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
    task = models.OneToOneField("tasks.Task", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="meeting_action")

    class Meta:
        ordering = ["due_date", "id"]
