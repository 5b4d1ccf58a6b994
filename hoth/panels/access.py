"""Who may run and read the screening meeting and the panel."""

from hoth.access import memo
from hoth.access.involvement import source
from hoth.access.policy import may_see, rule, scope
from hoth.access.roles import CASEWORK_ROLES, PARTNERSHIP_WIDE_ROLES
from hoth.accounts.roles import Role

from .models import AgendaItem, Meeting

memo.forget_when_changed(AgendaItem)


@source
def panel_children(user, now):
    """The people on the Child Exploitation Operational Panel's agenda: the
    panel's chair oversees their cases, so sees their records and casework."""
    if not user.has_role(Role.PANEL_CHAIR):
        return None
    return (
        AgendaItem.objects.filter(meeting__kind=Meeting.Kind.PANEL, person__isnull=False)
        .exclude(status=AgendaItem.Status.REMOVED)
        .values("person_id")
    )


@scope("panels.Meeting")
def visible_meetings(user, meetings):
    """Coordinators run the screening meeting; panel chairs the panel. A
    practitioner learns a decision through the referral, not the minutes."""
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return meetings
    if user.has_role(Role.PANEL_CHAIR):
        return meetings.filter(kind=Meeting.Kind.PANEL)
    return meetings.none()


@rule("meeting.view")
def view(user, meeting):
    """A meeting, its agenda and minutes: whoever sees the meeting."""
    if meeting is None:
        return user.has_role(Role.COORDINATOR, Role.PANEL_CHAIR)
    return may_see(user, meeting)


@rule("meeting.manage")
def manage(user, meeting):
    """Coordinators run the screening meeting; panel chairs (issue 4) the panel.
    Without a meeting: may this user run some meeting (views then check the
    meeting itself, or a new meeting of the kind they schedule)."""
    if meeting is not None and meeting.kind == Meeting.Kind.SCREENING:
        return user.has_role(Role.COORDINATOR)
    return user.has_role(Role.COORDINATOR, Role.PANEL_CHAIR)


@rule("contribution.view")
def view_contribution(user, contribution):
    """What an agency brought to a meeting: the meeting's organisers and the
    agency itself; the panel chair hears every agency's update at the panel."""
    if user.has_role(Role.COORDINATOR):
        return True
    if (
        contribution is not None
        and user.has_role(Role.PANEL_CHAIR)
        and contribution.item.meeting.kind == Meeting.Kind.PANEL
    ):
        return True
    return contribution is not None and contribution.agency_id == user.agency_id and user.has_role(*CASEWORK_ROLES)
