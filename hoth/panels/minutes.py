"""What a meeting's record shows to one user: the same for the page, the
minutes and the PDF, so no view can show more than another.

A child's name appears only to someone the access policy lets see that child;
anyone else reads the child's reference and "name withheld". What an agency
brought is shown only where meeting.contribution.view allows it.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string

from hoth.access import policy
from hoth.people.models import Person

from .models import AgencyContribution, AgendaItem, MeetingAction

NAME_WITHHELD = "name withheld"


@dataclass
class ItemRecord:
    item: AgendaItem
    child_name: str  # the name, or "" when withheld
    contributions: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    withheld_contributions: int = 0

    @property
    def child(self):
        return self.child_name or NAME_WITHHELD


def agenda_items(meeting, statuses=None):
    items = meeting.items.select_related("person", "referral", "screening", "lead_professional__agency", "case")
    if statuses:
        items = items.filter(status__in=statuses)
    return items.prefetch_related(
        "referral__harm_types",
        Prefetch("contributions", queryset=AgencyContribution.objects.select_related("agency", "recorded_by")),
        Prefetch("actions", queryset=MeetingAction.objects.select_related("owner", "owner_agency", "task")),
    ).order_by("position", "id")


def item_records(user, items):
    items = list(items)
    named = set(Person.objects.visible_to(user).filter(pk__in=[i.person_id for i in items])
                .values_list("pk", flat=True))
    records = []
    for item in items:
        contributions = list(item.contributions.all())
        shown = [c for c in contributions if policy.can(user, "meeting.contribution.view", c)]
        records.append(ItemRecord(
            item=item,
            child_name=item.person.full_name if item.person_id in named else "",
            contributions=shown,
            actions=list(item.actions.all()),
            withheld_contributions=len(contributions) - len(shown),
        ))
    return records


def minutes_context(meeting, user):
    items = agenda_items(meeting, statuses=[AgendaItem.Status.ACCEPTED])
    return {
        "meeting": meeting,
        "attendance": list(meeting.attendance.select_related("agency")),
        "records": item_records(user, items),
        "reader": user,
    }


def minutes_html(meeting, user, context=None):
    """The HTML WeasyPrint turns into the PDF (kept apart so tests can read it)."""
    return render_to_string("panels/minutes_document.html", context or minutes_context(meeting, user))


def pdf_from_html(html):
    """The minutes need nothing from outside the document: fetching nothing
    means no text typed into a meeting can make the server request a URL."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
