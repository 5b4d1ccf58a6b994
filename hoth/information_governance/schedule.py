"""What each line of the retention schedule means in code.

The schedule's wording, periods, actions and approval are reference data
(RetentionRule, from fixtures/retention_schedule.json) that system
administrators change. Which records a line finds, what holds them back and
how they are erased is code, here: a rule code the code does not know is a
mistake the schedule's test catches, not a silent no-op.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

from . import holds, triggers
from .models import RetentionAction as A
from .models import Trigger as T


@dataclass(frozen=True)
class Kind:
    model: str
    triggers: tuple
    actions: tuple
    # What erasing one record is (hoth.information_governance.erasure.ERASERS); "" when nothing is erased.
    owner: str = ""
    find: Callable | None = None
    holds: Callable = holds.none
    # Routine records (technical, short-lived) may be purged daily without
    # approval: `purge` gives the querysets of what is due.
    purge: Callable | None = None

    @property
    def routine(self):
        return self.purge is not None

    @property
    def kept(self):
        return self.actions == (A.KEEP,)


ERASED = (A.ANONYMISE, A.DELETE, A.REVIEW)
KEPT = dict(triggers=(T.NONE,), actions=(A.KEEP,))


def _open_requests():
    from .models import SubjectAccessRequest

    return SubjectAccessRequest.objects.open().exclude(person=None)


def _not_requested(queryset, person_field="person"):
    """Routine records about a person whose subject access request is open
    are kept until it closes: they are part of what is held about them."""
    return queryset.exclude(**{f"{person_field}__in": _open_requests().values("person_id")})


def _drafts(rule, now):
    from hoth.referrals.models import Referral

    return [
        _not_requested(Referral.objects.filter(status=Referral.Status.DRAFT, updated_at__lt=triggers.cutoff(rule, now)))
    ]


def _notifications(rule, now):
    from hoth.notifications.models import Notification
    from hoth.notifications.retention import about
    from hoth.people.models import Person

    due = Notification.objects.filter(created_at__lt=triggers.cutoff(rule, now))
    for person in Person.objects.filter(pk__in=_open_requests().values("person")).only("reference"):
        due = due.exclude(about(person))
    return [due]


def _idempotency(rule, now):
    from hoth.api.models import IdempotentRequest

    return [_not_requested(IdempotentRequest.objects.filter(created_at__lt=triggers.cutoff(rule, now)))]


def _break_glass(rule, now):
    from hoth.access.models import BreakGlass

    return [_not_requested(BreakGlass.objects.filter(expires_at__lt=triggers.cutoff(rule, now)))]


def _sessions(rule, now):
    from django.contrib.sessions.models import Session

    return [Session.objects.filter(expire_date__lt=triggers.cutoff(rule, now))]


def _sign_in_attempts(rule, now):
    from axes.models import AccessAttempt

    return [AccessAttempt.objects.filter(attempt_time__lt=triggers.cutoff(rule, now))]


def _sign_in_log(rule, now):
    from axes.models import AccessFailureLog, AccessLog

    moment = triggers.cutoff(rule, now)
    return [AccessLog.objects.filter(attempt_time__lt=moment), AccessFailureLog.objects.filter(attempt_time__lt=moment)]


def _background_jobs(rule, now):
    """Files whose download window has passed, then jobs (their staged rows,
    problems and files with them) and the queue's records of runs finished
    before the period."""
    from django_tasks_db.models import DBTaskResult

    from hoth.jobs.models import Job, JobFile

    finished_before = triggers.cutoff(rule, now)
    return [
        JobFile.objects.filter(expires_at__lte=now),
        Job.objects.filter(status__in=Job.FINISHED, finished_at__lt=finished_before),
        DBTaskResult.objects.finished().filter(finished_at__lt=finished_before),
    ]


KINDS = {
    "child": Kind("people.Person", (T.BIRTHDAY,), ERASED, "person", triggers.children("child"), holds.people),
    "looked_after_child": Kind(
        "people.Person", (T.BIRTHDAY,), ERASED, "person", triggers.children("looked_after_child"), holds.people
    ),
    "adult_of_concern": Kind(
        "people.Person", (T.LAST_INTELLIGENCE_OR_LINK,), ERASED, "person", triggers.adults_of_concern, holds.people
    ),
    "other_adult": Kind("people.Person", (T.LAST_ACTIVITY,), ERASED, "person", triggers.other_adults, holds.people),
    "referral_no_further_action": Kind(
        "referrals.Referral",
        (T.NO_FURTHER_ACTION,),
        (A.ANONYMISE, A.REVIEW),
        "referral",
        triggers.referrals_no_further_action,
        holds.referrals,
    ),
    "intelligence_serious": Kind(
        "intelligence.IntelligenceReport",
        (T.SUBMITTED,),
        ERASED,
        "intelligence",
        triggers.intelligence(serious=True),
        holds.intelligence,
    ),
    "intelligence_other": Kind(
        "intelligence.IntelligenceReport",
        (T.SUBMITTED,),
        ERASED,
        "intelligence",
        triggers.intelligence(serious=False),
        holds.intelligence,
    ),
    "vehicles_and_phones": Kind(
        "intelligence.Subject",
        (T.LAST_INTELLIGENCE_OR_LINK,),
        (A.ANONYMISE, A.REVIEW),
        "subject",
        triggers.vehicles_and_phones,
        holds.subjects,
    ),
    "context": Kind(
        "contexts.Context",
        (T.CONTEXT_LAST_RECORD,),
        (A.ANONYMISE, A.REVIEW),
        "context",
        triggers.contexts,
        holds.contexts,
    ),
    "incident": Kind("contexts.Incident", (T.OCCURRED,), ERASED, "incident", triggers.incidents),
    "subject_access_requests": Kind(
        "information_governance.SubjectAccessRequest",
        (T.REQUEST_CLOSED,),
        (A.DELETE, A.REVIEW),
        "request",
        triggers.closed_requests,
    ),
    "referral_draft": Kind("referrals.Referral", (T.LAST_CHANGED,), (A.DELETE,), purge=_drafts),
    "notifications": Kind("notifications.Notification", (T.CREATED,), (A.DELETE,), purge=_notifications),
    "api_idempotency": Kind("api.IdempotentRequest", (T.CREATED,), (A.DELETE,), purge=_idempotency),
    "break_glass_ended": Kind("access.BreakGlass", (T.EXPIRED,), (A.DELETE,), purge=_break_glass),
    "background_jobs": Kind("jobs.Job", (T.LAST_CHANGED,), (A.DELETE,), purge=_background_jobs),
    "sessions": Kind("sessions.Session", (T.EXPIRED,), (A.DELETE,), purge=_sessions),
    "sign_in_attempts": Kind("axes.AccessAttempt", (T.CREATED,), (A.DELETE,), purge=_sign_in_attempts),
    "sign_in_log": Kind("axes.AccessLog", (T.CREATED,), (A.DELETE,), purge=_sign_in_log),
    "audit_log": Kind("audit.AuditEvent", **KEPT),
    "staff_accounts": Kind("accounts.User", **KEPT),
    "meeting_records": Kind("panels.Meeting", **KEPT),
    "retention_reviews": Kind("information_governance.RetentionReview", **KEPT),
    "aggregate_snapshots": Kind("", **KEPT),
}


def kind(rule):
    return KINDS[rule.code]


def model_of(rule):
    return apps.get_model(rule.model)
