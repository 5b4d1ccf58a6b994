"""The panel's decisions about a child, for the case timeline (hoth.cases.timeline
collects this module). The screening meeting's decisions are written there by
the cases app itself; the panel's are kept in their own field, so fed here."""

from django.urls import NoReverseMatch, reverse

from hoth.cases.timeline import TimelineEvent

from .models import CHILD_SECTIONS, AgendaItem, Meeting


def events(case, user):
    """Confirmed panel decisions about the case's child. As with the screening
    meeting's, the team sees what was decided; the link to the panel's record
    only for those who may see the meeting."""
    items = list(
        AgendaItem.objects.filter(
            person_id=case.person_id,
            section__in=CHILD_SECTIONS,
            status=AgendaItem.Status.ACCEPTED,
            meeting__kind=Meeting.Kind.PANEL,
            meeting__status=Meeting.Status.CONFIRMED,
        )
        .exclude(panel_decision="")
        .select_related("meeting")
        .order_by()
    )
    if not items:
        return []
    may_see = set(
        Meeting.objects.visible_to(user).filter(pk__in=[i.meeting_id for i in items]).values_list("pk", flat=True)
    )
    found = []
    for item in items:
        url = ""
        if item.meeting_id in may_see:
            try:
                url = reverse("panels:item", args=[item.meeting_id, item.pk])
            except NoReverseMatch:
                url = ""
        at = item.meeting.confirmed_at or item.decided_at or item.meeting.starts_at
        found.append(
            TimelineEvent(
                at, "decision", f"Panel decision: {item.get_panel_decision_display()}", str(item.meeting), url, ""
            )
        )
    return found
