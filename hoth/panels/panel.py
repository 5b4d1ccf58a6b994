"""Running the Child Exploitation Operational Panel, the monthly meeting that
oversees the children at highest risk and the people, places and themes
behind their exploitation.

The panel uses the screening meeting's machinery (attendance, agencies'
updates, actions, confirmation in hoth.panels.services); what differs is its
agenda, taken in sections: children at High level and children referred by
the screening meeting are proposed by the service, persons of concern, places
of concern and themes are added by the chair. Each item gets a panel decision.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Role
from hoth.audit import log
from hoth.cases.models import Case
from hoth.contexts.models import Context
from hoth.people.models import Person
from hoth.screening.models import Level, Screening

from . import agenda
from .models import AgendaItem, Decision, Meeting, PanelDecision, Section


@transaction.atomic
def schedule_panel(*, user, starts_at, location, chair, audit=None):
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


def last_panel_before(meeting):
    return (
        Meeting.objects.filter(
            kind=Meeting.Kind.PANEL, status=Meeting.Status.CONFIRMED, starts_at__lt=meeting.starts_at
        )
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .first()
    )


def referred_children(meeting):
    """Children the screening meeting referred to the panel since the last
    confirmed panel: person ids, earliest referral first."""
    since = last_panel_before(meeting)
    decisions = AgendaItem.objects.filter(
        decision=Decision.REFER_TO_PANEL,
        status=AgendaItem.Status.ACCEPTED,
        meeting__kind=Meeting.Kind.SCREENING,
        meeting__status=Meeting.Status.CONFIRMED,
    )
    if since is not None:
        decisions = decisions.filter(meeting__starts_at__gt=since.starts_at)
    ids = []
    for person_id in decisions.order_by("meeting__starts_at", "position").values_list("person_id", flat=True):
        if person_id not in ids:
            ids.append(person_id)
    return ids


def high_level_children(exclude=()):
    """Children whose latest completed screening is High and who have an open
    case: the panel oversees each of them every month."""
    latest = (
        Screening.objects.completed().filter(person=OuterRef("pk")).order_by("-completed_at", "-pk").values("level")[:1]
    )
    open_case = Case.objects.open().values("person_id")
    return list(
        Person.objects.filter(pk__in=open_case)
        .annotate(latest_level=Subquery(latest))
        .filter(latest_level=Level.HIGH)
        .exclude(pk__in=list(exclude))
        .order_by("family_name", "given_names", "pk")
        .values_list("pk", flat=True)
    )


def _latest_screening(person_id):
    return Screening.objects.completed().filter(person_id=person_id).order_by("-completed_at", "-pk").first()


@transaction.atomic
def propose_panel_agenda(meeting, *, user, audit=None):
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
def add_person_of_concern(meeting, reference, *, user, audit=None):
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
def add_place_of_concern(meeting, reference, *, user, audit=None):
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
def add_theme(meeting, title, *, user, audit=None):
    agenda.editable(meeting, user)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Enter the theme or trend"})
    try:
        return _add(meeting, user=user, audit=audit, section=Section.THEME, theme=title)
    except ValidationError:
        raise ValidationError({"title": "This theme is already on this agenda"}) from None


@transaction.atomic
def record_panel_decision(item, *, user, decision, rationale, audit=None):
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
