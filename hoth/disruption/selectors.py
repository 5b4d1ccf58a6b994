"""What the disruption pages, the subject's profile and the panel show of a
subject's plan, as one viewer may see it: the same reading everywhere, so
no page shows more than another.

Linked children are named only if the viewer may see them (and counted
otherwise); the intelligence an activity rests on is listed only as far as
the viewer may read it; the effect follows hoth.disruption.effect.

Besides, what recording and reviewing disruption read without changing
anything: the tactics that can be used against a kind of subject, and the
subject a panel item about a person or place of concern is about.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from hoth.accounts.models import User
from hoth.disruption import effect as effects
from hoth.disruption.models import (
    Breach,
    DisruptionActivity,
    DisruptionPlan,
    DisruptionPlanReview,
    Tactic,
    TacticKind,
)
from hoth.disruption.services import REVIEWABLE_SECTIONS, expiry_warning_days
from hoth.intelligence.models import IntelligenceReport, Subject
from hoth.panels.models import AgendaItem
from hoth.people.models import Person


@dataclass
class ActivityView:
    activity: DisruptionActivity
    effect: effects.Effect
    children: list[Person] = field(default_factory=list)
    hidden_children: int = 0
    breaches: list[Breach] = field(default_factory=list)
    intelligence: list[IntelligenceReport] = field(default_factory=list)
    hidden_intelligence: int = 0
    expiring_soon: bool = False
    past_expiry: bool = False


@dataclass
class PlanView:
    subject: Subject
    plan: DisruptionPlan | None = None
    activities: list[ActivityView] = field(default_factory=list)
    reviews: list[DisruptionPlanReview] = field(default_factory=list)
    effect: effects.Effect | None = None

    @property
    def people_shown(self) -> list[int]:
        """The people this reading names, for the page's audit event."""
        ids = {self.subject.person_id} if self.subject.person_id else set()
        for view in self.activities:
            ids |= {c.pk for c in view.children} | set(view.effect.people_shown)
        if self.effect is not None:
            ids |= set(self.effect.people_shown)
        return sorted(ids)

    @property
    def review_overdue(self) -> bool:
        return self.plan is not None and self.plan.review_overdue(timezone.localdate())


def activities_query() -> QuerySet[DisruptionActivity]:
    return DisruptionActivity.objects.select_related(
        "tactic", "officer__agency", "lead_agency", "subject", "plan"
    ).prefetch_related(
        "children", "intelligence", Prefetch("breaches", queryset=Breach.objects.select_related("recorded_by"))
    )


def _views(user: User, activities: Sequence[DisruptionActivity], today: datetime.date, days: int) -> list[ActivityView]:
    """ActivityViews for activities the caller has already read through the gate."""
    linked = {c.pk for a in activities for c in a.children.all()}
    seen = set(Person.objects.visible_to(user).filter(pk__in=linked).values_list("pk", flat=True)) if linked else set()
    reports = {r.pk for a in activities for r in a.intelligence.all()}
    readable = (
        set(IntelligenceReport.objects.visible_to(user).filter(pk__in=reports).values_list("pk", flat=True))
        if reports
        else set()
    )
    measured = effects.effects(
        user, {a.pk: (a.granted_on, [c.pk for c in a.children.all()]) for a in activities}, today=today
    )
    views = []
    for activity in activities:
        children = sorted(
            (c for c in activity.children.all() if c.pk in seen), key=lambda c: (c.family_name, c.given_names, c.pk)
        )
        intelligence = [r for r in activity.intelligence.all() if r.pk in readable]
        views.append(
            ActivityView(
                activity=activity,
                effect=measured[activity.pk],
                children=children,
                hidden_children=len(activity.children.all()) - len(children),
                breaches=list(activity.breaches.all()),
                intelligence=intelligence,
                hidden_intelligence=len(activity.intelligence.all()) - len(intelligence),
                expiring_soon=activity.expiring_within(today, days),
                past_expiry=activity.past_expiry(today),
            )
        )
    return views


def activity_view(user: User, activity: DisruptionActivity, today: datetime.date | None = None) -> ActivityView:
    today = today or timezone.localdate()
    return _views(user, [activity], today, expiry_warning_days())[0]


def plan_view(user: User, subject: Subject, today: datetime.date | None = None, with_reviews: bool = True) -> PlanView:
    """The subject's plan as this viewer may see it (the caller has checked
    that they may see the subject's disruption)."""
    today = today or timezone.localdate()
    days = expiry_warning_days()
    found = PlanView(subject=subject)
    found.plan = (
        DisruptionPlan.objects.visible_to(user)
        .select_related("owner__agency", "lead_agency")
        .filter(subject=subject)
        .first()
    )
    if found.plan is None:
        return found
    activities = list(activities_query().filter(plan=found.plan).order_by("-granted_on", "-created_at", "-pk"))
    found.activities = _views(user, activities, today, days)
    started = [a.granted_on for a in activities if a.granted_on]
    children = {c.pk for a in activities for c in a.children.all()}
    found.effect = effects.effects(user, {"plan": (min(started) if started else None, children)}, today=today)["plan"]
    if with_reviews:
        found.reviews = list(
            DisruptionPlanReview.objects.filter(plan=found.plan).select_related(
                "reviewed_by__agency", "agenda_item__meeting"
            )
        )
    return found


def tactics_for(subject: Subject, *, include: Tactic | None = None) -> list[Tactic]:
    """The switched-on tactics that can be used against this kind of subject,
    grouped by kind in catalogue order (plus `include`, a tactic already in use)."""
    order = list(TacticKind.values)
    found = [t for t in Tactic.objects.filter(is_active=True) if t.applies_to(subject.kind)]
    if include is not None and include not in found:
        found.append(include)
    return sorted(found, key=lambda t: (order.index(t.kind), t.position, t.name))


def subject_of_item(item: AgendaItem) -> Subject | None:
    """The subject a panel item about a person or place of concern is about (None if not yet a subject)."""
    if item.section not in REVIEWABLE_SECTIONS:
        return None
    if item.person_id:
        return Subject.objects.filter(person_id=item.person_id).first()
    if item.context_id:
        return Subject.objects.filter(context_id=item.context_id).first()
    return None
