"""What both meetings' agendas share: an agenda is changed only while its
meeting is planned, and its items are numbered 1..n as people read them."""

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from hoth.access import policy

from .models import SECTION_ORDER, AgendaItem, Meeting, Section

LOCKED_MESSAGE = "This meeting has been confirmed. Its record can no longer be changed."


class MeetingLocked(ValidationError):
    def __init__(self):
        super().__init__(LOCKED_MESSAGE, code="locked")


def editable(meeting, user):
    policy.check(user, "meeting.manage", meeting)
    # Read the status afresh and hold the row: a colleague may have confirmed
    # the meeting since this page was loaded.
    if not Meeting.objects.select_for_update().filter(pk=meeting.pk, status=Meeting.Status.PLANNED).exists():
        raise MeetingLocked()


def next_position(meeting):
    return (meeting.items.aggregate(top=Max("position"))["top"] or 0) + 1


def renumber(meeting, accepted=None):
    """Number the agenda 1..n in order, then the proposals after it, so the
    numbers people read ("item 3") are the positions stored."""
    if accepted is None:
        accepted = list(meeting.items.filter(status=AgendaItem.Status.ACCEPTED).order_by("position", "id"))
    proposed = list(meeting.items.filter(status=AgendaItem.Status.PROPOSED).order_by("position", "id"))
    if meeting.kind == Meeting.Kind.PANEL:
        # The panel takes its agenda section by section; within a section the
        # chair's order stands (sorted() is stable).
        accepted = sorted(accepted, key=section_rank)
        proposed = sorted(proposed, key=section_rank)
    for position, item in enumerate(accepted + proposed, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def section_rank(item):
    return SECTION_ORDER.index(item.section) if item.section in SECTION_ORDER else len(SECTION_ORDER)


def set_status(item, status):
    if status == AgendaItem.Status.ACCEPTED and item.status != status:
        top = item.meeting.items.filter(status=AgendaItem.Status.ACCEPTED).aggregate(top=Max("position"))["top"]
        item.position = (top or 0) + 1
    item.status = status
    item.save(update_fields=["status", "position"])
    renumber(item.meeting)


def meeting_day(starts_at):
    """A meeting's day as its minutes and tasks name it."""
    return f"{timezone.localtime(starts_at):%-d %B %Y}"


# What the task a meeting's action becomes says of where it was agreed, used
# by the generator too. It names the item's reference, never a name: the task
# list travels further than the minutes.
def screening_action_details(day, position, child_reference):
    return f"Agreed at the screening meeting on {day}, item {position} (child {child_reference})."


def panel_action_details(day, position, section, subject_reference):
    return (
        f"Agreed at the Child Exploitation Operational Panel on {day}, item {position} "
        f"({Section(section).label.lower()}: {subject_reference})."
    )
