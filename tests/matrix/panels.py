"""Who may use the screening queue and the screening meeting's pages.

referral.queue, meeting.view and meeting.manage are coordinators' work; a
panel chair sees the panel's meetings (issue 4) but not the screening
meeting's, whose pages answer 404 to them like any record out of sight."""

from datetime import date, timedelta

from django.utils import timezone

from hoth.accounts.models import Role
from hoth.panels.models import AgencyContribution, AgendaItem, Attendance, Meeting, MeetingAction
from tests.matrix.common import IN_SCOPE, Rule

COORDINATORS = frozenset({Role.COORDINATOR})
MEETING_READERS = frozenset({Role.COORDINATOR, Role.PANEL_CHAIR})


def _meeting(world):
    users = world["users"]
    if "meeting" not in world:
        meeting = Meeting.objects.create(starts_at=timezone.now() + timedelta(days=2), location="Room 1",
                                         chair=users["coordinator"], created_by=users["coordinator"])
        item = AgendaItem.objects.create(meeting=meeting, position=1, person=world[IN_SCOPE])
        world["meeting"], world["item"] = meeting, item
    return world["meeting"], world["item"]


def meeting(world, user, scope):
    return {"pk": _meeting(world)[0].pk}


def item(world, user, scope):
    found, agenda_item = _meeting(world)
    return {"pk": found.pk, "item_pk": agenda_item.pk}


def attendance(world, user, scope):
    found, _ = _meeting(world)
    record = Attendance.objects.create(meeting=found, agency=world["agencies"]["police"], name="DS Cole")
    return {"pk": found.pk, "attendance_pk": record.pk}


def contribution(world, user, scope):
    found, agenda_item = _meeting(world)
    record = AgencyContribution.objects.create(item=agenda_item, agency=world["agencies"]["police"],
                                               text="Seen with older males at the station",
                                               recorded_by=world["users"]["coordinator"])
    return {"pk": found.pk, "item_pk": agenda_item.pk, "contribution_pk": record.pk}


def action(world, user, scope):
    found, agenda_item = _meeting(world)
    owner = world["users"]["practitioner"]
    record = MeetingAction.objects.create(item=agenda_item, description="Visit at home", owner=owner,
                                          owner_agency=owner.agency, due_date=date.today() + timedelta(days=7))
    return {"pk": found.pk, "item_pk": agenda_item.pk, "action_pk": record.pk}


RULES = {
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
