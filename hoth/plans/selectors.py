"""What the plan pages and the plan services read of a child's safety and
support plan and its reviews without changing them: the whole plan as the
plain data a version keeps, since when a new review counts, and how many
times the child went missing in a review period. Nothing here asks the
access gate: callers pass a plan or case the user has already been allowed
to see.
"""

import datetime
from typing import Any

from django.utils import timezone

from hoth.cases.models import Case, MissingEpisode
from hoth.people.models import Person

from .models import Plan


# The plan as JSON-ready data: its words, and lists of goals, actions and
# services (each a small dict of text).
def snapshot(plan: Plan) -> dict[str, Any]:
    """The whole plan as plain data: what a version keeps."""
    return {
        "child_wants": plan.child_wants,
        "child_trusts": plan.child_trusts,
        "family_views": plan.family_views,
        "review_date": plan.review_date.isoformat() if plan.review_date else None,
        "goals": [g.text for g in plan.goals.all()],
        "actions": [
            {
                "id": a.pk,
                "what": a.what,
                "owner": a.owner.full_name,
                "agency": a.agency.name,
                "due_date": a.due_date.isoformat(),
                "status": a.get_status_display(),
            }
            for a in plan.actions.select_related("owner", "agency")
        ],
        "services": [
            {"id": r.pk, "service": r.service.name, "provider": r.service.provider, "status": r.get_status_display()}
            for r in plan.service_referrals.select_related("service")
        ],
    }


def review_period_start(case: Case) -> datetime.date:
    """Since when a new review counts: the last review, or the case opening."""
    last = case.reviews.order_by("-held_on", "-id").values_list("held_on", flat=True).first()
    return last or timezone.localtime(case.opened_at).date()


def missing_episodes_between(person: Person, start: datetime.date, end: datetime.date) -> int:
    """Episodes that began after `start` (the day of the last review) up to
    the end of `end`: an episode on the last review's own day was counted then."""
    return MissingEpisode.objects.filter(person=person, started_at__date__gt=start, started_at__date__lte=end).count()
