"""When each kind of record falls due under its rule: the triggers.

Each finder takes the rule (its period, as the schedule stands) and the
moment the proposal is for, and yields `Due` records: the record, its
reference and the day its trigger passed. Dates are worked out in Python
from a few aggregated queries per rule (never one query per record), so the
same code runs on SQLite and PostgreSQL and a partnership of a million
people is read in seconds.

Finders know nothing of holds (hoth.information_governance.holds) nor of
what was already proposed, kept or erased (services.propose_due).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from hoth.people.models import CareStatus, years_old
from hoth.working_days.counting import add_months

# Harm types whose intelligence MoPI would put in group 2 (sexual, violent or
# serious offending): reviewed after the longer period.
SERIOUS_HARMS = ("cse", "trafficking", "serious-youth-violence", "hsb", "radicalisation")
LOOKED_AFTER = (CareStatus.LOOKED_AFTER, CareStatus.CARE_LEAVER)


@dataclass(frozen=True)
class Due:
    object_id: int
    reference: str
    due_on: date
    person_id: int | None = None


def add_period(day, years=0, days=0):
    """`day` moved on by whole years (29 February becomes 28 February) and days."""
    if day is None:
        return None
    return add_months(day, 12 * years) + timedelta(days=days)


def _day(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def latest(*values):
    days = [_day(v) for v in values if v is not None]
    return max(days) if days else None


def _merge(into, rows):
    """Fold {id: date} rows into `into`, keeping the later date."""
    for key, value in rows:
        if key is None:
            continue
        value = _day(value)
        if value is not None and (into.get(key) is None or value > into[key]):
            into[key] = value
    return into


def _max_by(queryset, key, *fields):
    """[(key, latest of fields)] in one aggregated query."""
    names = [f"last_{i}" for i in range(len(fields))]
    rows = queryset.values(key).order_by().annotate(**{n: Max(f) for n, f in zip(names, fields)})
    return [(row[key], latest(*(row[n] for n in names))) for row in rows]


def _period_due(last, rule):
    return add_period(last, rule.period_years, rule.period_days)


# ---------------------------------------------------------------- the register


def _casework_people():
    from hoth.cases.models import Case, MissingEpisode
    from hoth.referrals.models import Referral
    from hoth.screening.models import Screening

    ids = set(Case.objects.values_list("person_id", flat=True))
    ids |= set(
        Referral.objects.exclude(status=Referral.Status.DRAFT).exclude(person=None).values_list("person_id", flat=True)
    )
    ids |= set(Screening.objects.values_list("person_id", flat=True))
    ids |= set(MissingEpisode.objects.values_list("person_id", flat=True))
    return ids


def _people_of_concern():
    from hoth.intelligence.models import Subject

    return set(Subject.objects.filter(of_concern=True, person__isnull=False).values_list("person_id", flat=True))


def person_categories():
    """{person id: category}: looked_after_child, child, adult_of_concern or
    other_adult. Someone is a child's record if they were under 18 when the
    partnership first recorded them, or any casework (a case, a referral, a
    screening, a missing episode) is about them."""
    from hoth.people.models import Person

    casework = _casework_people()
    of_concern = _people_of_concern()
    categories = {}
    rows = Person.objects.values_list("pk", "date_of_birth", "created_at", "care_status", "intelligence_subject")
    for pk, dob, created_at, care_status, intelligence_subject in rows.iterator(chunk_size=5000):
        if care_status in LOOKED_AFTER:
            category = "looked_after_child"
        elif pk in casework or (dob is not None and years_old(dob, _day(created_at)) < 18):
            category = "child"
        elif intelligence_subject or pk in of_concern:
            category = "adult_of_concern"
        else:
            category = "other_adult"
        categories[pk] = category
    return categories


def _person_rows(category):
    from hoth.people.models import Person

    wanted = {pk for pk, c in person_categories().items() if c == category}
    rows = Person.objects.values_list("pk", "reference", "date_of_birth", "created_at", "updated_at")
    return [row for row in rows.iterator(chunk_size=5000) if row[0] in wanted]


def children(category):
    def find(rule, now):
        from hoth.cases.models import Case

        closed = dict(_max_by(Case.objects.filter(closed_at__isnull=False), "person_id", "closed_at"))
        for pk, reference, dob, created_at, _updated in _person_rows(category):
            # Without a date of birth the clock runs from when they were first recorded.
            due = add_period(dob or _day(created_at), rule.period_years, rule.period_days)
            if rule.case_closed_years and pk in closed:
                due = max(due, add_period(closed[pk], rule.case_closed_years))
            yield Due(pk, reference, due, pk)

    return find


def _intelligence_dates_by_person():
    from hoth.disruption.models import DisruptionActivity
    from hoth.intelligence.models import IntelligenceReport, Link, Mention, Subject

    last = {}
    _merge(last, _max_by(IntelligenceReport.objects.exclude(about_person=None), "about_person_id", "submitted_at"))
    _merge(last, _max_by(Mention.objects.exclude(subject__person=None), "subject__person_id", "report__submitted_at"))
    for end in ("source", "target"):
        _merge(
            last,
            _max_by(Link.objects.exclude(**{f"{end}__person": None}), f"{end}__person_id", "changed_at", "valid_to"),
        )
    _merge(last, _max_by(Subject.objects.exclude(person=None), "person_id", "flagged_at", "created_at"))
    _merge(
        last,
        _max_by(
            DisruptionActivity.objects.exclude(subject__person=None),
            "subject__person_id",
            "changed_at",
            "ended_on",
            "expires_on",
        ),
    )
    return last


def adults_of_concern(rule, now):
    last = _intelligence_dates_by_person()
    for pk, reference, _dob, created_at, updated_at in _person_rows("adult_of_concern"):
        yield Due(pk, reference, _period_due(latest(created_at, updated_at, last.get(pk)), rule), pk)


def other_adults(rule, now):
    from hoth.people.models import Involvement
    from hoth.referrals.models import NamedAssociate

    last = _intelligence_dates_by_person()
    _merge(last, _max_by(Involvement.objects.all(), "person_id", "started_at", "ended_at"))
    _merge(
        last,
        _max_by(
            NamedAssociate.objects.exclude(person=None), "person_id", "referral__submitted_at", "referral__created_at"
        ),
    )
    for pk, reference, _dob, created_at, updated_at in _person_rows("other_adult"):
        yield Due(pk, reference, _period_due(latest(created_at, updated_at, last.get(pk)), rule), pk)


# ---------------------------------------------------------------- front door, intelligence, contexts


def referrals_no_further_action(rule, now):
    """Referrals the screening meeting decided no further action on, about
    a child who never had a case (a case keeps the referral with the child's
    record)."""
    from hoth.cases.models import Case
    from hoth.panels.models import AgendaItem, Decision, Meeting

    with_case = set(Case.objects.values_list("person_id", flat=True))
    decided = {}
    rows = AgendaItem.objects.filter(
        decision=Decision.NO_FURTHER_ACTION, meeting__status=Meeting.Status.CONFIRMED, referral__isnull=False
    ).values_list("referral_id", "referral__reference", "referral__person_id", "decided_at", "meeting__confirmed_at")
    for referral_id, reference, person_id, decided_at, confirmed_at in rows:
        if person_id in with_case:
            continue
        day = latest(decided_at, confirmed_at)
        if referral_id not in decided or day > decided[referral_id][2]:
            decided[referral_id] = (reference, person_id, day)
    for referral_id, (reference, person_id, day) in decided.items():
        yield Due(referral_id, reference, _period_due(day, rule), person_id)


def intelligence(serious):
    def find(rule, now):
        from hoth.intelligence.models import IntelligenceReport, Link

        serious_ids = set(
            IntelligenceReport.objects.filter(harm_types__code__in=SERIOUS_HARMS).values_list("pk", flat=True)
        )
        links = dict(_max_by(Link.objects.exclude(intelligence=None), "intelligence_id", "changed_at"))
        rows = IntelligenceReport.objects.values_list("pk", "reference", "about_person_id", "submitted_at", "graded_at")
        for pk, reference, person_id, submitted_at, graded_at in rows.iterator(chunk_size=5000):
            if (pk in serious_ids) != serious:
                continue
            yield Due(pk, reference, _period_due(latest(submitted_at, graded_at, links.get(pk)), rule), person_id)

    return find


def vehicles_and_phones(rule, now):
    from hoth.intelligence.models import Link, Mention, Subject

    last = {}
    _merge(
        last,
        _max_by(Mention.objects.filter(subject__kind__in=("vehicle", "phone")), "subject_id", "report__submitted_at"),
    )
    for end in ("source", "target"):
        _merge(
            last,
            _max_by(
                Link.objects.filter(**{f"{end}__kind__in": ("vehicle", "phone")}), f"{end}_id", "changed_at", "valid_to"
            ),
        )
    rows = Subject.objects.filter(kind__in=("vehicle", "phone")).values_list(
        "pk", "reference", "created_at", "flagged_at"
    )
    for pk, reference, created_at, flagged_at in rows:
        yield Due(pk, reference, _period_due(latest(created_at, flagged_at, last.get(pk)), rule))


def contexts(rule, now):
    from hoth.contexts.models import Context, ContextAssessment, ContextReview, Incident
    from hoth.intelligence.models import IntelligenceReport, Link
    from hoth.panels.models import AgendaItem
    from hoth.referrals.models import Referral

    last = {}
    _merge(last, _max_by(ContextAssessment.objects.all(), "context_id", "written_at"))
    _merge(last, _max_by(ContextReview.objects.all(), "context_id", "recorded_at", "reviewed_on"))
    _merge(last, _max_by(Incident.objects.all(), "place_id", "occurred_at"))
    _merge(last, _max_by(IntelligenceReport.objects.exclude(place=None), "place_id", "submitted_at"))
    _merge(last, _max_by(Referral.objects.exclude(context=None), "context_id", "created_at", "submitted_at"))
    _merge(last, _max_by(AgendaItem.objects.exclude(context=None), "context_id", "meeting__starts_at"))
    for end in ("source", "target"):
        _merge(
            last,
            _max_by(Link.objects.exclude(**{f"{end}__context": None}), f"{end}__context_id", "changed_at", "valid_to"),
        )
    for pk, reference, created_at, closed_on in Context.objects.values_list(
        "pk", "reference", "created_at", "closed_on"
    ):
        yield Due(pk, reference, _period_due(latest(created_at, closed_on, last.get(pk)), rule))


def incidents(rule, now):
    from hoth.contexts.models import Incident

    for pk, occurred_at in Incident.objects.values_list("pk", "occurred_at").iterator(chunk_size=5000):
        yield Due(pk, f"Incident {pk}", _period_due(_day(occurred_at), rule))


def closed_requests(rule, now):
    from .models import SubjectAccessRequest

    for pk, reference, closed_on, person_id in SubjectAccessRequest.objects.filter(
        status=SubjectAccessRequest.Status.CLOSED
    ).values_list("pk", "reference", "closed_on", "person_id"):
        yield Due(pk, reference, _period_due(closed_on, rule), person_id)


# ---------------------------------------------------------------- routine purges


def cutoff(rule, now):
    """Records whose trigger is before this moment are due."""
    return now - timedelta(days=rule.period_days) - _years(now, rule.period_years)


def _years(now, years):
    if not years:
        return timedelta(0)
    earlier = add_period(now.date(), -years)
    return now.date() - earlier
