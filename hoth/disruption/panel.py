"""Disruption at the Child Exploitation Operational Panel: on an agenda item
about a person or place of concern, the subject's plan and activities with
their effect, and the chair's review of the plan taken there; and the
reviews taken at a panel, for its minutes (hoth.panels.minutes)."""

from dataclasses import dataclass

from hoth.access import policy
from hoth.disruption.selectors import PlanView, plan_view, subject_of_item
from hoth.intelligence.models import Subject

from .models import DisruptionPlanReview
from .services import REVIEWABLE_SECTIONS


@dataclass
class ItemDisruption:
    item: object
    reference: str  # the person's or place's reference, for starting disruption
    subject: Subject | None = None
    shown: PlanView | None = None
    can_manage: bool = False
    can_review: bool = False

    @property
    def people_shown(self):
        return self.shown.people_shown if self.shown is not None else []


def item_disruption(user, item):
    """What the item's page shows of disruption, or None when the item is not
    about a person or place of concern, or the viewer may not see its
    subject's disruption."""
    if item.section not in REVIEWABLE_SECTIONS or not policy.can(user, "disruption.view"):
        return None
    reference = item.person.reference if item.person_id else item.context.reference
    subject = subject_of_item(item)
    if subject is None:
        record = item.person if item.person_id else item.context
        seen = policy.can(user, "person.view" if item.person_id else "context.view", record)
        return (
            ItemDisruption(item=item, reference=reference, can_manage=seen and policy.can(user, "disruption.manage"))
            if seen
            else None
        )
    if not Subject.objects.visible_to(user).filter(pk=subject.pk).exists():
        return None
    shown = plan_view(user, subject)
    meeting = item.meeting
    can_review = (
        shown.plan is not None
        and shown.plan.is_open
        and meeting.status == meeting.Status.PLANNED
        and policy.can(user, "meeting.manage", meeting)
        and policy.can(user, "disruption.review", shown.plan)
    )
    return ItemDisruption(
        item=item,
        reference=reference,
        subject=subject,
        shown=shown,
        can_review=can_review,
        can_manage=policy.can(user, "disruption.manage", subject),
    )


def reviews_by_item(user, items):
    """{item pk: [reviews of a disruption plan taken at that item]}, those
    this reader may see: what the panel's minutes record of them."""
    ids = [item.pk for item in items if item.section in REVIEWABLE_SECTIONS]
    if not ids:
        return {}
    found = {}
    for review in (
        DisruptionPlanReview.objects.visible_to(user)
        .filter(agenda_item_id__in=ids)
        .select_related("reviewed_by")
        .order_by("reviewed_on", "pk")
    ):
        found.setdefault(review.agenda_item_id, []).append(review)
    return found
