"""Running the Weekly Contextual Safeguarding Screening Meeting.

A meeting is prepared and recorded item by item: the service proposes an
agenda from what was screened since the last confirmed meeting, the
coordinator accepts, removes and orders the items, records who came, what
each agency brought and what was decided. Nothing takes effect until the
meeting is confirmed (confirm_meeting): then cases are opened, actions become
tasks, owners and lead professionals are told, and the record is locked.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Agency, User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.cases.models import Case
from hoth.cases.services import open_case
from hoth.notifications.services import notify
from hoth.referrals.models import Referral
from hoth.tasks.models import Task
from hoth.tasks.services import create_task

from . import agenda
from .agenda import panel_action_details, screening_action_details
from .models import AgencyContribution, AgendaItem, Attendance, Decision, Meeting, MeetingAction, Section
from .panel import propose_panel_agenda
from .selectors import UNDECIDED, agenda_candidates


class MeetingIncomplete(ValidationError):
    """Confirmation refused: `problems` says what is missing, item by item."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems, code="incomplete")


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# ---------------------------------------------------------------- scheduling


@transaction.atomic
def schedule_meeting(
    *, user: User, starts_at: datetime.datetime, location: str, chair: User, audit: AuditContext | None = None
) -> Meeting:
    """Schedule a screening meeting and propose its agenda."""
    policy.check(user, "meeting.manage", Meeting(kind=Meeting.Kind.SCREENING))
    if not policy.can(chair, "meeting.manage", Meeting(kind=Meeting.Kind.SCREENING)):
        raise ValidationError({"chair": "The chair must be a screener or exploitation coordinator"})
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.SCREENING, starts_at=starts_at, location=location, chair=chair, created_by=user
    )
    log.record(
        "create", audit=audit, user=user, obj=meeting, detail={"starts_at": starts_at.isoformat(), "chair": chair.pk}
    )
    propose_agenda(meeting, user=user, audit=audit)
    return meeting


@transaction.atomic
def propose_agenda(meeting: Meeting, *, user: User, audit: AuditContext | None = None) -> list[AgendaItem]:
    """Add a proposed item for each new candidate; returns the items added.
    Safe to run again: it adds only what is not yet proposed."""
    if meeting.kind == Meeting.Kind.PANEL:
        return propose_panel_agenda(meeting, user=user, audit=audit)
    agenda.editable(meeting, user)
    position = agenda.next_position(meeting)
    added = []
    for screening in agenda_candidates(meeting):
        added.append(
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                status=AgendaItem.Status.PROPOSED,
                kind=AgendaItem.Kind.NEW_REFERRAL if screening.referral_id else AgendaItem.Kind.RESCREEN,
                person=screening.person,
                referral=screening.referral,
                screening=screening,
            )
        )
        position += 1
    if added:
        log.record(
            "update",
            audit=audit,
            user=user,
            obj=meeting,
            detail={"proposed_items": [item.pk for item in added]},
            people=[item.person_id for item in added],
        )
    return added


@transaction.atomic
def add_referral(meeting: Meeting, referral: Referral, *, user: User, audit: AuditContext | None = None) -> AgendaItem:
    """Put a referral on the agenda by hand (one the proposal did not offer:
    screened before the last meeting, or not yet screened)."""
    agenda.editable(meeting, user)
    if meeting.kind != Meeting.Kind.SCREENING:
        raise ValidationError({"reference": "Referrals go to the screening meeting, not the panel"})
    if referral.person_id is None:
        raise ValidationError(
            {
                "reference": "This referral is about a place or group, not a child. "
                "Contexts go to the panel, not the screening meeting"
            }
        )
    if referral.status not in UNDECIDED:
        raise ValidationError({"reference": f"Referral {referral.reference} has already been decided"})
    elsewhere = (
        AgendaItem.objects.filter(referral=referral, meeting__status=Meeting.Status.PLANNED)
        .exclude(meeting=meeting)
        .exclude(status=AgendaItem.Status.REMOVED)
        .select_related("meeting")
        .first()
    )
    if elsewhere is not None:
        raise ValidationError(
            {
                "reference": f"Referral {referral.reference} is already on the agenda of the meeting "
                f"on {timezone.localtime(elsewhere.meeting.starts_at):%-d %B %Y}"
            }
        )
    existing = meeting.items.filter(referral=referral).first()
    if existing is not None:
        if existing.status == AgendaItem.Status.ACCEPTED:
            raise ValidationError({"reference": f"Referral {referral.reference} is already on this agenda"})
        return set_item_status(existing, AgendaItem.Status.ACCEPTED, user=user, audit=audit)
    screening = referral.screenings.completed().order_by("-completed_at").first()
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=agenda.next_position(meeting),
        referral=referral,
        person_id=referral.person_id,
        screening=screening,
        kind=AgendaItem.Kind.NEW_REFERRAL,
        status=AgendaItem.Status.PROPOSED,
    )
    # Accepting puts it at the end of the agenda and renumbers the rest.
    agenda.set_status(item, AgendaItem.Status.ACCEPTED)
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=meeting,
        person=item.person_id,
        detail={"added_item": item.pk, "referral": referral.pk},
    )
    return item


@transaction.atomic
def set_item_status(item: AgendaItem, status: str, *, user: User, audit: AuditContext | None = None) -> AgendaItem:
    """Accept a proposed item (it joins the end of the agenda), take an item
    off the agenda, or put it back."""
    agenda.editable(item.meeting, user)
    if status not in AgendaItem.Status.values:
        raise ValidationError("Choose whether to accept or remove the item")
    agenda.set_status(item, status)
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=item.meeting,
        person=item.person_id,
        detail={"item": item.pk, "status": status},
    )
    return item


@transaction.atomic
def move_item(item: AgendaItem, direction: str, *, user: User, audit: AuditContext | None = None) -> AgendaItem:
    """Swap an item with its neighbour on the agenda ("up" or "down")."""
    agenda.editable(item.meeting, user)
    if direction not in ("up", "down"):
        raise ValidationError("Move an item up or down")
    if item.status != AgendaItem.Status.ACCEPTED:
        raise ValidationError("Accept the item onto the agenda before moving it")
    items = list(item.meeting.items.filter(status=AgendaItem.Status.ACCEPTED).order_by("position", "id"))
    if item.meeting.kind == Meeting.Kind.PANEL:
        items.sort(key=agenda.section_rank)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    # On the panel's agenda an item moves within its own section only.
    if 0 <= target < len(items) and items[target].section == item.section:
        items[index], items[target] = items[target], items[index]
    agenda.renumber(item.meeting, items)
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=item.meeting,
        person=item.person_id,
        detail={"item": item.pk, "moved": direction},
    )
    return item


# ---------------------------------------------------------------- recording


@transaction.atomic
def record_attendance(
    meeting: Meeting, *, user: User, agency: Agency, name: str, status: str, audit: AuditContext | None = None
) -> Attendance:
    agenda.editable(meeting, user)
    attendance = Attendance.objects.create(meeting=meeting, agency=agency, name=name.strip(), status=status)
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=meeting,
        detail={"attendance": attendance.pk, "agency": agency.pk, "status": status},
    )
    return attendance


@transaction.atomic
def remove_attendance(attendance: Attendance, *, user: User, audit: AuditContext | None = None) -> None:
    agenda.editable(attendance.meeting, user)
    log.record("update", audit=audit, user=user, obj=attendance.meeting, detail={"attendance_removed": attendance.pk})
    attendance.delete()


@transaction.atomic
def record_contribution(
    item: AgendaItem, *, user: User, agency: Agency, text: str, audit: AuditContext | None = None
) -> AgencyContribution:
    agenda.editable(item.meeting, user)
    contribution = AgencyContribution.objects.create(item=item, agency=agency, text=text.strip(), recorded_by=user)
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=item.meeting,
        person=item.person_id,
        detail={"item": item.pk, "contribution": contribution.pk, "agency": agency.pk},
    )
    return contribution


@transaction.atomic
def remove_contribution(contribution: AgencyContribution, *, user: User, audit: AuditContext | None = None) -> None:
    item = contribution.item
    agenda.editable(item.meeting, user)
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=item.meeting,
        person=item.person_id,
        detail={"item": item.pk, "contribution_removed": contribution.pk},
    )
    contribution.delete()


def decision_problems(decision: str, lead_professional: User | None) -> dict[str, str]:
    if decision == Decision.OPEN_CASE and lead_professional is None:
        return {"lead_professional": "Choose the lead professional for the new case"}
    return {}


@transaction.atomic
def record_decision(
    item: AgendaItem,
    *,
    user: User,
    decision: str,
    rationale: str,
    advice: str = "",
    lead_professional: User | None = None,
    audit: AuditContext | None = None,
) -> AgendaItem:
    agenda.editable(item.meeting, user)
    if item.meeting.kind != Meeting.Kind.SCREENING:
        raise ValidationError({"decision": "Record the panel's decision instead"})
    if decision not in Decision.values:
        raise ValidationError({"decision": "Choose the meeting's decision"})
    problems = decision_problems(decision, lead_professional)
    if problems:
        raise ValidationError(problems)
    item.decision = decision
    item.rationale = rationale.strip()
    item.advice = advice.strip()
    # Only a new case has a lead professional named here.
    item.lead_professional = lead_professional if decision == Decision.OPEN_CASE else None
    item.decided_by = user
    item.decided_at = timezone.now()
    item.save(update_fields=["decision", "rationale", "advice", "lead_professional", "decided_by", "decided_at"])
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=item.meeting,
        person=item.person_id,
        detail={"item": item.pk, "decision": decision, "lead_professional": item.lead_professional_id},
    )
    return item


@transaction.atomic
def add_action(
    item: AgendaItem,
    *,
    user: User,
    description: str,
    owner: User,
    due_date: datetime.date,
    audit: AuditContext | None = None,
) -> MeetingAction:
    agenda.editable(item.meeting, user)
    action = MeetingAction.objects.create(
        item=item, description=description.strip(), owner=owner, owner_agency=owner.agency, due_date=due_date
    )
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=item.meeting,
        person=item.person_id,
        detail={"item": item.pk, "action": action.pk, "owner": owner.pk},
    )
    return action


@transaction.atomic
def remove_action(action: MeetingAction, *, user: User, audit: AuditContext | None = None) -> None:
    item = action.item
    agenda.editable(item.meeting, user)
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=item.meeting,
        person=item.person_id,
        detail={"item": item.pk, "action_removed": action.pk},
    )
    action.delete()


# ---------------------------------------------------------------- confirming


def item_label(item: AgendaItem) -> str:
    if item.status == AgendaItem.Status.PROPOSED:
        return f"Proposed item ({item.subject_reference})"
    return f"Item {item.position} ({item.subject_reference})"


def confirmation_problems(meeting: Meeting) -> list[str]:
    """What stops the meeting being confirmed, in agenda order, each naming
    the item by its position and the child's reference (never their name:
    the same list may be shown to someone who may not see the child)."""
    problems = []
    items = list(
        meeting.items.exclude(status=AgendaItem.Status.REMOVED)
        .select_related("person", "context")
        .order_by("position", "id")
    )
    if not items:
        problems.append("The agenda is empty: add at least one item")
    open_cases = set(
        Case.objects.open().filter(person__in=[i.person_id for i in items]).values_list("person_id", flat=True)
    )
    for item in items:
        label = item_label(item)
        if item.status == AgendaItem.Status.PROPOSED:
            problems.append(f"{label}: accept it onto the agenda or remove it")
            continue
        if meeting.kind == Meeting.Kind.PANEL:
            if not item.panel_decision:
                problems.append(f"{label}: record the panel's decision")
            continue
        if not item.decision:
            problems.append(f"{label}: record the meeting's decision")
        elif item.decision == Decision.OPEN_CASE:
            if item.lead_professional_id is None:
                problems.append(f"{label}: choose the lead professional for the new case")
            if item.case_id is None and item.person_id in open_cases:
                problems.append(f"{label}: the child already has an open case; choose another decision")
    return problems


@dataclass
class Confirmation:
    already_confirmed: bool = False
    cases: list[Case] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)


@transaction.atomic
def confirm_meeting(meeting: Meeting, *, user: User, audit: AuditContext | None = None) -> Confirmation:
    """Make the meeting's decisions take effect, all or nothing. Confirming a
    confirmed meeting changes nothing: a double click or a retried request
    opens no second case and sets no second task."""
    policy.check(user, "meeting.manage", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CONFIRMED:
        return Confirmation(already_confirmed=True)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError("A cancelled meeting cannot be confirmed", code="cancelled")
    problems = confirmation_problems(meeting)
    if problems:
        raise MeetingIncomplete(problems)
    result = Confirmation()
    items = (
        meeting.items.filter(status=AgendaItem.Status.ACCEPTED)
        .select_related("person", "context", "referral", "lead_professional")
        .order_by("position", "id")
    )
    when = agenda.meeting_day(meeting.starts_at)
    if meeting.kind == Meeting.Kind.PANEL:
        _panel_tasks(items, user=user, when=when, result=result, audit=audit)
    for item in items if meeting.kind == Meeting.Kind.SCREENING else ():
        # The screening meeting discusses children only (the screening_item_has_person constraint).
        assert item.person is not None
        if item.decision == Decision.OPEN_CASE and item.case_id is None:
            # confirmation_problems refused an open case without its lead professional.
            assert item.lead_professional is not None
            harm_types = list(item.referral.harm_types.all()) if item.referral is not None else []
            item.case = open_case(
                person=item.person,
                lead_professional=item.lead_professional,
                opened_by=user,
                harm_types=harm_types,
                audit=audit,
            )
            item.save(update_fields=["case"])
            result.cases.append(item.case)
            notify(
                item.lead_professional,
                "You are the lead professional for a new case",
                f"The screening meeting on {when} opened case {item.case.reference}.",
                _url("cases:detail", item.case.reference),
            )
        case = item.case or Case.objects.open().filter(person=item.person).first()
        for action in item.actions.filter(task__isnull=True).select_related("owner__agency"):
            action.task = create_task(
                title=action.description,
                owner=action.owner,
                due_date=action.due_date,
                created_by=user,
                person=item.person,
                case=case,
                audit=audit,
                details=screening_action_details(when, item.position, item.person.reference),
            )
            action.save(update_fields=["task"])
            result.tasks.append(action.task)
        if item.referral is not None and item.referral.status in UNDECIDED:
            Referral.objects.filter(pk=item.referral.pk).update(status=Referral.Status.DECIDED)
    meeting.status = Meeting.Status.CONFIRMED
    meeting.confirmed_at = timezone.now()
    meeting.confirmed_by = user
    meeting.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=meeting,
        detail={"confirmed": True, "cases": [c.pk for c in result.cases], "tasks": [t.pk for t in result.tasks]},
        people=sorted({item.person_id for item in items if item.person_id}),
    )
    return result


def _panel_tasks(items, *, user, when, result, audit):
    """The panel's actions become tasks. A task about a child is linked to the
    child and their open case; one about a person of concern, a place or a
    theme names only the item's reference, so the task list (which travels
    further than the minutes) carries no one's name."""
    for item in items:
        child = item.person if item.section in (Section.HIGH, Section.REFERRED) else None
        case = Case.objects.open().filter(person=child).first() if child else None
        for action in item.actions.filter(task__isnull=True).select_related("owner__agency"):
            action.task = create_task(
                title=action.description,
                owner=action.owner,
                due_date=action.due_date,
                created_by=user,
                person=child,
                case=case,
                audit=audit,
                details=panel_action_details(when, item.position, item.section, item.subject_reference),
            )
            action.save(update_fields=["task"])
            result.tasks.append(action.task)


def combine(day: datetime.date, at: datetime.time) -> datetime.datetime:
    """A meeting's start from the date and time typed, in the partnership's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, at))
