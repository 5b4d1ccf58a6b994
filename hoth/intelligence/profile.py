"""A subject's profile ("local profiles of people and perpetrators"): what it
is linked to, grouped as analysts read it, and its intelligence timeline,
all as the viewer may see it."""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone

from hoth.access import policy

from .models import IntelligenceReport, Link, Mention, Subject
from .selectors import RELATED

# The order the profile lists what a subject is linked to.
GROUPS = [
    ("child", "Children"),
    ("adult", "Adults and peers"),
    (Subject.Kind.PLACE, "Places"),
    (Subject.Kind.GROUP, "Groups"),
    (Subject.Kind.ONLINE, "Online spaces and accounts"),
    (Subject.Kind.VEHICLE, "Vehicles"),
    (Subject.Kind.PHONE, "Phones"),
]


@dataclass
class Linked:
    subject: Subject
    links: list


@dataclass
class Event:
    when: datetime
    title: str
    text: str
    grading: str = ""
    url_name: str = ""
    url_arg: str = ""


@dataclass
class Profile:
    links: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # [(label, [Linked])]
    proposed: list = field(default_factory=list)
    timeline: list = field(default_factory=list)
    people_shown: list = field(default_factory=list)


def links_of(user, subject, statuses=(Link.Status.ACCEPTED,)):
    """The subject's links the user may see, with both ends loaded."""
    ends = [f"{end}__{related}" for end in ("source", "target") for related in RELATED]
    return list(
        Link.objects.visible_to(user)
        .filter(Q(source=subject) | Q(target=subject), status__in=statuses)
        .select_related(*ends, "intelligence")
        .order_by("-valid_from", "-pk")
    )


def _group(other):
    if other.kind == Subject.Kind.PERSON:
        return "child" if other.person.is_child else "adult"
    return other.kind


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(12))) if day else None


def profile(user, subject):
    found = Profile()
    found.links = links_of(user, subject)
    by_other = {}
    for link in found.links:
        other = link.other_end(subject)
        by_other.setdefault(other.pk, Linked(other, [])).links.append(link)
    for key, label in GROUPS:
        members = [linked for linked in by_other.values() if _group(linked.subject) == key]
        if members:
            found.groups.append((label, sorted(members, key=lambda m: m.subject.name)))
    if policy.can(user, "link.decide"):
        found.proposed = links_of(user, subject, statuses=(Link.Status.PROPOSED,))
    shown = [
        subject,
        *(linked.subject for linked in by_other.values()),
        *(end for link in found.proposed for end in (link.source, link.target)),
    ]
    found.people_shown = sorted({s.person_id for s in shown if s.person_id})
    found.timeline = timeline(user, subject, found.links)
    return found


def timeline(user, subject, links):
    """Intelligence about the subject and the links recorded, newest first.
    Intelligence shows as its reader may see it: the original for analysts
    and police, the sanitised version for others."""
    readable = IntelligenceReport.objects.visible_to(user)
    reports = {m.report for m in Mention.objects.filter(subject=subject, report__in=readable).select_related("report")}
    reports |= {link.intelligence for link in links if link.intelligence_id}
    events = []
    for report in reports:
        text = report.what if policy.can(user, "intelligence.view_original", report) else report.sanitised
        events.append(
            Event(
                _moment(report.happened_on) or report.submitted_at,
                f"Intelligence {report.reference}",
                _short(text),
                report.grading,
                "intelligence:detail",
                report.reference,
            )
        )
    for link in links:
        other = link.other_end(subject)
        events.append(
            Event(
                _moment(link.valid_from) or link.created_at,
                f"{link.get_type_display()} {other.name}"
                if link.source_id == subject.pk
                else f"{other.name}: {link.get_type_display().lower()} this subject",
                link.proposed_because or "",
                link.grading,
                "links:detail",
                str(link.pk),
            )
        )
    return sorted(events, key=lambda e: e.when, reverse=True)


def _short(text, limit=240):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
