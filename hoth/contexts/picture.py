"""What a context's page shows beside its own details: the children it
affects and its history, each as far as the viewer may see."""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.utils import timezone

from hoth.access import policy
from hoth.people.models import Person


@dataclass
class Affected:
    person: Person
    how: list = field(default_factory=list)


def children_affected(user, context):
    """Children whose case assessment names the context (for those who may
    read that case), and (for those who work with intelligence) children with
    a current accepted link to it, either way round. Only the children the
    viewer may see."""
    from hoth.cases.models import AssessedContext, Case, ContextKind
    from hoth.intelligence.models import Link

    how = {}
    entries = (
        AssessedContext.objects.filter(
            contexts=context, assessment__case__status="open", assessment__case__in=Case.objects.visible_to(user)
        )
        .values_list("assessment__case__person_id", "kind")
        .distinct()
    )
    for person_id, kind in entries:
        how.setdefault(person_id, []).append(
            f"named in their case's contextual assessment ({ContextKind(kind).label.lower()})"
        )
    subject = getattr(context, "subject", None)
    if subject is not None:
        for link in Link.objects.visible_to(user).current().of(subject).select_related("source", "target"):
            other = link.other_end(subject)
            if other.person_id:
                how.setdefault(other.person_id, []).append(f"{link.get_type_display().lower()} (graded link)")
    people = Person.objects.visible_to(user).filter(pk__in=how).order_by("family_name", "given_names")
    return [Affected(p, how[p.pk]) for p in people if p.is_child]


@dataclass
class Event:
    when: datetime
    title: str
    text: str = ""
    url_name: str = ""
    url_arg: str = ""


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(12))) if day else None


def _dated(day, recorded_at):
    """When something dated `day` happened: the moment it was recorded if
    that was the same day (so a review written after this afternoon's
    assessment comes after it), else midday of the day."""
    return recorded_at if timezone.localdate(recorded_at) == day else _moment(day)


def history(user, context):
    """The context's story, newest first: referrals about it, its assessments,
    actions and reviews, intelligence about it, and its discussions at the
    panel. Incidents are counted and listed apart: a busy place has
    thousands, which would drown the rest."""
    from hoth.intelligence.models import IntelligenceReport
    from hoth.panels.models import AgendaItem, Meeting
    from hoth.referrals.models import Referral

    events = []
    for referral in (
        Referral.objects.visible_to(user).submitted().filter(context=context).select_related("referrer_agency")
    ):
        events.append(
            Event(
                referral.submitted_at,
                f"Referral {referral.reference}",
                f"From {referral.referrer_agency.name}",
                "referrals:detail",
                referral.reference,
            )
        )
    for assessment in context.assessments.select_related("written_by"):
        events.append(
            Event(
                assessment.written_at,
                f"Assessment, version {assessment.number}",
                f"Concern {assessment.get_concern_display().lower()}, by {assessment.written_by.full_name}",
            )
        )
    for action in context.actions.select_related("owner", "task"):
        status = action.task.get_status_display() if action.task else ""
        events.append(
            Event(
                action.created_at,
                f"Action: {action.get_kind_display()}",
                f"{action.description} ({action.owner.full_name}, due {action.due_date:%-d %B %Y}; {status})",
            )
        )
    for review in context.reviews.select_related("reviewed_by"):
        events.append(
            Event(
                _dated(review.reviewed_on, review.recorded_at),
                f"Review: {review.get_outcome_display()}",
                f"By {review.reviewed_by.full_name}",
            )
        )
    reports = IntelligenceReport.objects.visible_to(user).filter(place=context)
    subject = getattr(context, "subject", None)
    if subject is not None:
        reports = reports | IntelligenceReport.objects.visible_to(user).filter(mentions__subject=subject)
    for report in reports.distinct():
        events.append(
            Event(
                _moment(report.happened_on) or report.submitted_at,
                f"Intelligence {report.reference}",
                report.grading,
                "intelligence:detail",
                report.reference,
            )
        )
    if policy.can(user, "meeting.view"):
        meetings = Meeting.objects.visible_to(user)
        for item in (
            AgendaItem.objects.filter(context=context, meeting__in=meetings)
            .exclude(status=AgendaItem.Status.REMOVED)
            .select_related("meeting")
        ):
            events.append(
                Event(
                    item.meeting.starts_at,
                    f"Discussed at the {item.meeting.get_kind_display()}",
                    item.get_panel_decision_display() if item.panel_decision else "",
                    "panels:detail",
                    str(item.meeting.pk),
                )
            )
    return sorted((e for e in events if e.when), key=lambda e: e.when, reverse=True)
