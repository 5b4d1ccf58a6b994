"""The plan's part of the case timeline: plan versions, reviews and service
referrals, for those who may see the plan (policy "plan.view")."""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone

from hoth.access import policy
from hoth.cases.timeline import TimelineEvent

from .models import PlanVersion, Review, ServiceReferral


def _at(day):
    """A date as the start of that day, so it sorts among timed events."""
    return timezone.make_aware(datetime.combine(day, time.min))


def events(case, user):
    if not policy.can(user, "plan.view", case):
        return []
    found = []
    plan_url = reverse("plans:plan", args=[case.reference])
    # Only what the events show: a version's snapshot is the whole plan, encrypted.
    for kept in (
        PlanVersion.objects.filter(plan__case=case)
        .select_related("saved_by__agency")
        .only("number", "saved_at", "what_changed", "saved_by__agency__name")
    ):
        found.append(
            TimelineEvent(
                at=kept.saved_at,
                kind="plan",
                title=f"Safety and support plan version {kept.number}",
                description=kept.what_changed,
                url=reverse("plans:version", args=[case.reference, kept.number]),
                agency=kept.saved_by.agency.name,
            )
        )
    for review in (
        Review.objects.filter(case=case)
        .select_related("recorded_by__agency")
        .only(
            "held_on",
            "recorded_at",
            "child_feels_safe",
            "practitioner_rating",
            "missing_episodes_since_last",
            "recorded_by__agency__name",
        )
    ):
        safe = (
            "the child did not rate how safe they feel"
            if review.child_feels_safe is None
            else f"the child rates feeling safe {review.child_feels_safe} out of 10"
        )
        found.append(
            TimelineEvent(
                at=review.recorded_at,
                kind="review",
                title="Review",
                description=(
                    f"Held {review.held_on:%-d %B %Y}: {safe}; practitioner {review.practitioner_rating} "
                    f"out of 10; {review.missing_episodes_since_last} missing episodes since the last review"
                ),
                url=reverse("plans:review", args=[review.pk]),
                agency=review.recorded_by.agency.name,
            )
        )
    for referral in (
        ServiceReferral.objects.filter(plan__case=case)
        .select_related("service", "referred_by__agency")
        .only("status", "proposed_on", "referred_on", "service__name", "referred_by__agency__name")
    ):
        found.append(
            TimelineEvent(
                at=_at(referral.referred_on or referral.proposed_on),
                kind="service",
                title=f"Service {'referral' if referral.referred_on else 'proposed'}: {referral.service.name}",
                description=f"Now {referral.get_status_display().lower()}",
                url=plan_url,
                agency=referral.referred_by.agency.name,
            )
        )
    return found
