"""Who may use the screening queue, the screening meeting's pages and the
Child Exploitation Operational Panel's.

referral.queue and the screening meeting are coordinators' work; a panel
chair runs the panel (issue 4) but does not see the screening meeting, whose
pages answer 404 to them like any record out of sight. The pages the two
meetings share have one rule for each kind of meeting."""

from datetime import date, timedelta

from django.utils import timezone

from hoth.accounts.models import Role
from hoth.panels.models import AgencyContribution, AgendaItem, Attendance, Meeting, MeetingAction, Section
from tests.matrix.common import IN_SCOPE, Rule

COORDINATORS = frozenset({Role.COORDINATOR})
MEETING_READERS = frozenset({Role.COORDINATOR, Role.PANEL_CHAIR})


def _meeting(world, kind=Meeting.Kind.SCREENING):
    users = world["users"]
    key = f"meeting {kind}"
    if key not in world:
        chair = users["coordinator"] if kind == Meeting.Kind.SCREENING else users["panel_chair"]
        meeting = Meeting.objects.create(
            kind=kind, starts_at=timezone.now() + timedelta(days=2), location="Room 1", chair=chair, created_by=chair
        )
        section = "" if kind == Meeting.Kind.SCREENING else Section.HIGH
        item = AgendaItem.objects.create(meeting=meeting, position=1, person=world[IN_SCOPE], section=section)
        world[key] = meeting, item
    return world[key]


def meeting(world, user, scope, kind=Meeting.Kind.SCREENING):
    return {"pk": _meeting(world, kind)[0].pk}


def item(world, user, scope, kind=Meeting.Kind.SCREENING):
    found, agenda_item = _meeting(world, kind)
    return {"pk": found.pk, "item_pk": agenda_item.pk}


def attendance(world, user, scope, kind=Meeting.Kind.SCREENING):
    found, _ = _meeting(world, kind)
    record = Attendance.objects.create(meeting=found, agency=world["agencies"]["police"], name="DS Cole")
    return {"pk": found.pk, "attendance_pk": record.pk}


def contribution(world, user, scope, kind=Meeting.Kind.SCREENING):
    found, agenda_item = _meeting(world, kind)
    record = AgencyContribution.objects.create(
        item=agenda_item,
        agency=world["agencies"]["police"],
        text="Seen with older males at the station",
        recorded_by=world["users"]["coordinator"],
    )
    return {"pk": found.pk, "item_pk": agenda_item.pk, "contribution_pk": record.pk}


def action(world, user, scope, kind=Meeting.Kind.SCREENING):
    found, agenda_item = _meeting(world, kind)
    owner = world["users"]["practitioner"]
    record = MeetingAction.objects.create(
        item=agenda_item,
        description="Visit at home",
        owner=owner,
        owner_agency=owner.agency,
        due_date=date.today() + timedelta(days=7),
    )
    return {"pk": found.pk, "item_pk": agenda_item.pk, "action_pk": record.pk}


def on_panel(kwargs):
    """The same object, on a panel meeting."""
    return lambda world, user, scope: kwargs(world, user, scope, kind=Meeting.Kind.PANEL)


def panel_add(world, user, scope):
    return {"pk": _meeting(world, Meeting.Kind.PANEL)[0].pk, "section": "theme"}


SCREENING_RULES = {
    # referral.queue: coordinators.
    "queue:list": Rule(allowed=COORDINATORS),
    # meeting.view: coordinators and panel chairs have a meetings list.
    "panels:list": Rule(allowed=MEETING_READERS),
    # meeting.manage: coordinators schedule and run the screening meeting.
    "panels:create": Rule(allowed=COORDINATORS),
    # meeting.view on a screening meeting: coordinators only.
    "panels:detail": Rule(allowed=COORDINATORS, kwargs=meeting),
    "panels:attendance": Rule(allowed=COORDINATORS, kwargs=meeting),
    "panels:item": Rule(allowed=COORDINATORS, kwargs=item),
    "panels:minutes-page": Rule(allowed=COORDINATORS, kwargs=meeting),
    "panels:minutes": Rule(allowed=COORDINATORS, kwargs=meeting),
    # meeting.manage on a screening meeting.
    "panels:propose": Rule(allowed=COORDINATORS, kwargs=meeting, method="POST"),
    "panels:add-item": Rule(allowed=COORDINATORS, kwargs=meeting),
    "panels:attendance-remove": Rule(allowed=COORDINATORS, kwargs=attendance, method="POST"),
    "panels:item-agenda": Rule(allowed=COORDINATORS, kwargs=item, method="POST", data={"action": "remove"}),
    "panels:item-move": Rule(allowed=COORDINATORS, kwargs=item, method="POST", data={"direction": "down"}),
    "panels:contribution-add": Rule(allowed=COORDINATORS, kwargs=item),
    "panels:contribution-remove": Rule(allowed=COORDINATORS, kwargs=contribution, method="POST"),
    "panels:action-add": Rule(allowed=COORDINATORS, kwargs=item),
    "panels:action-remove": Rule(allowed=COORDINATORS, kwargs=action, method="POST"),
    "panels:confirm": Rule(allowed=COORDINATORS, kwargs=meeting),
}


# The panel: coordinators and panel chairs (meeting.manage on a panel meeting).
PANEL_RUNNERS = MEETING_READERS
SHARED = {
    "panels:detail": meeting,
    "panels:attendance": meeting,
    "panels:item": item,
    "panels:minutes-page": meeting,
    "panels:minutes": meeting,
    "panels:propose": meeting,
    "panels:attendance-remove": attendance,
    "panels:item-agenda": item,
    "panels:item-move": item,
    "panels:contribution-add": item,
    "panels:contribution-remove": contribution,
    "panels:action-add": item,
    "panels:action-remove": action,
    "panels:confirm": meeting,
}
PANEL_RULES = {
    name: Rule(allowed=PANEL_RUNNERS, kwargs=on_panel(SHARED[name]), method=screening.method, data=screening.data)
    for name, screening in SCREENING_RULES.items()
    if name in SHARED
}

RULES = {name: (rule, PANEL_RULES[name]) if name in PANEL_RULES else rule for name, rule in SCREENING_RULES.items()}
RULES.update(
    {
        # meeting.manage on a new panel meeting: coordinators and panel chairs.
        "panels:panel-create": Rule(allowed=PANEL_RUNNERS),
        # meeting.view: the panel's action tracker.
        "panels:tracker": Rule(allowed=MEETING_READERS),
        "panels:panel-add": Rule(allowed=PANEL_RUNNERS, kwargs=panel_add),
    }
)
