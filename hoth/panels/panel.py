"""Running the Child Exploitation Operational Panel, the monthly meeting that
oversees the children at highest risk and the people, places and themes
behind their exploitation.

The panel uses the screening meeting's machinery (attendance, agencies'
updates, actions, confirmation in hoth.panels.services); what differs is its
agenda, taken in sections: children at High level and children referred by
the screening meeting are proposed by the service, persons of concern, places
of concern and themes are added by the chair. Each item gets a panel decision.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Role, User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.contexts.models import Context
from hoth.people.models import Person
from hoth.screening.models import Screening

from . import agenda
from .models import AgendaItem, Meeting, PanelDecision, Section
from .selectors import high_level_children, referred_children


@transaction.atomic
def schedule_panel(
    *, user: User, starts_at: datetime.datetime, location: str, chair: User, audit: AuditContext | None = None
) -> Meeting:
    """Schedule a panel meeting and propose its children."""
    policy.check(user, "meeting.manage", Meeting(kind=Meeting.Kind.PANEL))
    if not chair.has_role(Role.PANEL_CHAIR):
        raise ValidationError({"chair": "The chair must be a panel chair"})
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.PANEL, starts_at=starts_at, location=location, chair=chair, created_by=user
    )
    log.record(
        "create",
        audit=audit,
        user=user,
        obj=meeting,
        detail={"starts_at": starts_at.isoformat(), "chair": chair.pk, "kind": "panel"},
    )
    propose_panel_agenda(meeting, user=user, audit=audit)
    return meeting


def _latest_screening(person_id):
    return Screening.objects.completed().filter(person_id=person_id).order_by("-completed_at", "-pk").first()


@transaction.atomic
def propose_panel_agenda(meeting: Meeting, *, user: User, audit: AuditContext | None = None) -> list[AgendaItem]:
    """Propose the children the panel should discuss: referred by the
    screening meeting first (they are new to the panel), then every child at
    High level with an open case. A child already on this agenda, even if taken
    off it, is not offered again. Safe to run again."""
    agenda.editable(meeting, user)
    already = set(meeting.items.exclude(person=None).values_list("person_id", flat=True))
    referred = [pk for pk in referred_children(meeting) if pk not in already]
    high = high_level_children(exclude=already | set(referred))
    position = agenda.next_position(meeting)
    added = []
    for section, people in ((Section.REFERRED, referred), (Section.HIGH, high)):
        for person_id in people:
            added.append(
                AgendaItem.objects.create(
                    meeting=meeting,
                    position=position,
                    status=AgendaItem.Status.PROPOSED,
                    section=section,
                    person_id=person_id,
                    screening=_latest_screening(person_id),
                )
            )
            position += 1
    if added:
        agenda.renumber(meeting)
        log.record(
            "update",
            audit=audit,
            user=user,
            obj=meeting,
            detail={"proposed_items": [item.pk for item in added]},
            people=[item.person_id for item in added],
        )
    return added


def _add(meeting, *, user, audit, section, **subject):
    """Put an item straight onto the agenda (the chair chose it), or back on
    it if it was taken off."""
    existing = meeting.items.filter(section=section, **subject).first()
    if existing is not None:
        if existing.status == AgendaItem.Status.ACCEPTED:
            raise ValidationError("already")
        agenda.set_status(existing, AgendaItem.Status.ACCEPTED)
        item = existing
    else:
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=agenda.next_position(meeting),
            status=AgendaItem.Status.PROPOSED,
            section=section,
            **subject,
        )
        agenda.set_status(item, AgendaItem.Status.ACCEPTED)
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=meeting,
        person=item.person_id,
        detail={"added_item": item.pk, "section": section, "context": item.context_id},
    )
    return item


@transaction.atomic
def add_person_of_concern(
    meeting: Meeting, reference: str, *, user: User, audit: AuditContext | None = None
) -> AgendaItem:
    """A person of concern: someone an analyst flagged of concern, found by
    reference among the people this user may see."""
    agenda.editable(meeting, user)
    reference = reference.strip().upper()
    person = Person.objects.visible_to(user).filter(reference=reference, subject__of_concern=True).first()
    if person is None:
        raise ValidationError({"reference": f"There is no person of concern with the reference {reference}"})
    try:
        return _add(meeting, user=user, audit=audit, section=Section.PERSON, person=person)
    except ValidationError:
        raise ValidationError({"reference": f"{reference} is already on this agenda"}) from None


@transaction.atomic
def add_place_of_concern(
    meeting: Meeting, reference: str, *, user: User, audit: AuditContext | None = None
) -> AgendaItem:
    agenda.editable(meeting, user)
    reference = reference.strip().upper()
    place = Context.objects.visible_to(user).filter(reference=reference, kind=Context.Kind.PLACE).first()
    if place is None:
        raise ValidationError({"reference": f"There is no place with the reference {reference}"})
    try:
        return _add(meeting, user=user, audit=audit, section=Section.PLACE, context=place)
    except ValidationError:
        raise ValidationError({"reference": f"{reference} is already on this agenda"}) from None


@transaction.atomic
def add_theme(meeting: Meeting, title: str, *, user: User, audit: AuditContext | None = None) -> AgendaItem:
    agenda.editable(meeting, user)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Enter the theme or trend"})
    try:
        return _add(meeting, user=user, audit=audit, section=Section.THEME, theme=title)
    except ValidationError:
        raise ValidationError({"title": "This theme is already on this agenda"}) from None


@transaction.atomic
def record_panel_decision(
    item: AgendaItem, *, user: User, decision: str, rationale: str, audit: AuditContext | None = None
) -> AgendaItem:
    agenda.editable(item.meeting, user)
    if item.meeting.kind != Meeting.Kind.PANEL:
        raise ValidationError({"decision": "Record the screening meeting's decision instead"})
    if decision not in PanelDecision.values:
        raise ValidationError({"decision": "Choose the panel's decision"})
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter the reasons for the decision"})
    item.panel_decision = decision
    item.rationale = rationale.strip()
    item.decided_by = user
    item.decided_at = timezone.now()
    item.save(update_fields=["panel_decision", "rationale", "decided_by", "decided_at"])
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=item.meeting,
        person=item.person_id,
        detail={"item": item.pk, "panel_decision": decision},
    )
    return item
