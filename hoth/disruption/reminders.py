"""Expiry reminders for orders and notices in force, run daily by
`manage.py remind_disruption_expiry`.

The activity's officer and the plan's owner are told twice: once when the
expiry date comes within HOTH_DISRUPTION_EXPIRY_WARNING_DAYS (time to apply
to extend or renew it), and once when it has passed, when the activity is
marked expired. Each is claimed and told in its own transaction, so however
often the command runs (twice by mistake, or two servers at once) nobody is
told twice, and a failure part way leaves the rest for the next run.
Recording a new expiry date makes both due again.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hoth.audit import log
from hoth.notifications.services import notify

from . import flow, services
from .models import DisruptionActivity, expiring_window

ACTOR = "remind_disruption_expiry"


@dataclass
class Reminded:
    warned: list = field(default_factory=list)
    expired: list = field(default_factory=list)


def _url(activity):
    return reverse("disruption:activity", args=[activity.reference])


def _told(activity):
    """The officer and the plan's owner, once each, if they can still sign in
    and may still see the subject (a reminder names the tactic and the subject)."""
    people = [activity.officer, activity.plan.owner]
    unique = {p.pk: p for p in people if services.may_work_on(p, activity.subject)}
    return list(unique.values())


def _claim(pk, flag, condition):
    return (
        DisruptionActivity.objects.select_for_update()
        .select_related("tactic", "subject", "plan__owner", "officer")
        .filter(pk=pk, status=flow.IN_FORCE, **{f"{flag}__isnull": True}, **condition)
        .first()
    )


def send_expiry_reminders(today=None, days=None):
    """Tell whoever is due to be told; returns who was told about what."""
    today = today or timezone.localdate()
    days = services.expiry_warning_days() if days is None else days
    done = Reminded()
    in_force = DisruptionActivity.objects.filter(status=flow.IN_FORCE, expires_on__isnull=False)

    expiring = expiring_window(today, days)
    for pk in list(in_force.filter(expiry_warned_at__isnull=True, **expiring).values_list("pk", flat=True)):
        with transaction.atomic():
            activity = _claim(pk, "expiry_warned_at", expiring)
            if activity is None:  # another run got there first
                continue
            left = (activity.expires_on - today).days
            when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
            # No one's name: notifications also go by email.
            for person in _told(activity):
                notify(
                    person,
                    f"A {activity.tactic.name} expires {when}",
                    f"{activity.tactic.name} {activity.reference} against {activity.subject.reference} expires "
                    f"on {activity.expires_on:%-d %B %Y}. If it is still needed, apply to extend or renew it, "
                    "then record the new expiry date.",
                    _url(activity),
                )
            activity.expiry_warned_at = timezone.now()
            activity.save(update_fields=["expiry_warned_at"])
            log.record(
                "update",
                actor=ACTOR,
                obj=activity,
                person=activity.subject.person_id,
                detail={"expiry_warning": str(activity.expires_on), "told": [p.pk for p in _told(activity)]},
            )
            done.warned.append(activity)

    past = {"expires_on__lt": today}
    for pk in list(in_force.filter(expired_told_at__isnull=True, **past).values_list("pk", flat=True)):
        with transaction.atomic():
            activity = _claim(pk, "expired_told_at", past)
            if activity is None:
                continue
            for person in _told(activity):
                notify(
                    person,
                    f"A {activity.tactic.name} has expired",
                    f"{activity.tactic.name} {activity.reference} against {activity.subject.reference} expired "
                    f"on {activity.expires_on:%-d %B %Y} and is now recorded as expired. If it was extended in "
                    "time, record its new expiry date.",
                    _url(activity),
                )
            now = timezone.now()
            activity.status, activity.ended_on = flow.EXPIRED, activity.expires_on
            activity.expired_told_at, activity.changed_at = now, now
            # The warning is spent too: an order that expired unseen is not warned about afterwards.
            activity.expiry_warned_at = activity.expiry_warned_at or now
            activity.save(update_fields=["status", "ended_on", "expired_told_at", "expiry_warned_at", "changed_at"])
            log.record(
                "update",
                actor=ACTOR,
                obj=activity,
                person=activity.subject.person_id,
                detail={
                    "changed": {"status": [flow.IN_FORCE, flow.EXPIRED]},
                    "expired_on": str(activity.expires_on),
                    "told": [p.pk for p in _told(activity)],
                },
            )
            done.expired.append(activity)
    return done
