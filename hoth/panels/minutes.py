"""What a meeting's record shows to one user: the same for the page, the
minutes and the PDF, so no view can show more than another.

A child's or a person of concern's name appears only to someone the access
policy lets see that person, a place's name only to someone who may see the
place; anyone else reads the reference and "name withheld". What an agency
brought is shown only where meeting.contribution.view allows it.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string

from hoth.access import policy
from hoth.contexts.models import Context
from hoth.disruption.panel import reviews_by_item
from hoth.people.models import Person

from .models import SECTION_ORDER, AgencyContribution, AgendaItem, Meeting, MeetingAction, Section

NAME_WITHHELD = "name withheld"


@dataclass
class ItemRecord:
    item: AgendaItem
    child_name: str  # the name, or "" when withheld
    contributions: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    withheld_contributions: int = 0
    place_name: str = ""  # a place of concern's name, or "" when withheld
    # Reviews of the subject's disruption plan taken at this item (hoth.disruption.panel).
    disruption_reviews: list = field(default_factory=list)

    @property
    def child(self):
        return self.child_name or NAME_WITHHELD

    @property
    def subject(self):
        """What the item is about, as this reader may read it."""
        if self.item.person_id:
            return self.child
        if self.item.context_id:
            return self.place_name or NAME_WITHHELD
        return self.item.theme

    @property
    def named(self):
        return bool(self.child_name or self.place_name)


def agenda_items(meeting, statuses=None):
    items = meeting.items.select_related(
        "person", "context", "referral", "screening", "lead_professional__agency", "case"
    )
    if statuses:
        items = items.filter(status__in=statuses)
    return items.prefetch_related(
        "referral__harm_types",
        Prefetch("contributions", queryset=AgencyContribution.objects.select_related("agency", "recorded_by")),
        Prefetch("actions", queryset=MeetingAction.objects.select_related("owner", "owner_agency", "task")),
    ).order_by("position", "id")


def item_records(user, items):
    items = list(items)
    named = set(
        Person.objects.visible_to(user)
        .filter(pk__in=[i.person_id for i in items if i.person_id])
        .values_list("pk", flat=True)
    )
    places = [i.context_id for i in items if i.context_id]
    named_places = (
        set(Context.objects.visible_to(user).filter(pk__in=places).values_list("pk", flat=True)) if places else set()
    )
    reviews = reviews_by_item(user, items)
    records = []
    for item in items:
        contributions = list(item.contributions.all())
        shown = [c for c in contributions if policy.can(user, "contribution.view", c)]
        records.append(
            ItemRecord(
                item=item,
                child_name=item.person.full_name if item.person_id and item.person_id in named else "",
                place_name=item.context.name if item.context_id in named_places else "",
                contributions=shown,
                actions=list(item.actions.all()),
                withheld_contributions=len(contributions) - len(shown),
                disruption_reviews=reviews.get(item.pk, []),
            )
        )
    return records


def by_section(records):
    """The panel's records grouped in agenda order: [(code, label, records)],
    every section listed even when empty, so the minutes show it was considered."""
    return [
        (code, label, [r for r in records if r.item.section == code])
        for code, label in zip(SECTION_ORDER, Section.labels)
    ]


def minutes_context(meeting, user):
    items = agenda_items(meeting, statuses=[AgendaItem.Status.ACCEPTED])
    records = item_records(user, items)
    return {
        "meeting": meeting,
        "attendance": list(meeting.attendance.select_related("agency")),
        "records": records,
        "sections": by_section(records) if meeting.kind == Meeting.Kind.PANEL else [],
        "reader": user,
    }


def people_shown(records):
    """The people whose records a page shows, for the audit log."""
    return [r.item.person_id for r in records if r.item.person_id]


def minutes_html(meeting, user, context=None):
    """The HTML WeasyPrint turns into the PDF (kept apart so tests can read it)."""
    return render_to_string("panels/minutes_document.html", context or minutes_context(meeting, user))
