"""Applying the retention schedule: proposing what is due, the data
protection officer's decision, carrying it out, and the daily purge of
routine technical records.

* `propose_due(now)` finds the records past their trigger and writes a
  RetentionReview listing them, with the holds that keep some back. It
  deletes nothing. The daily job (`manage.py propose_retention`) calls it.
* `approve(user, review, ...)` and `reject(...)`: the officer's decision,
  with a reason. Approving starts a background job that carries the review
  out (`carry_out`): each record is erased in its own transaction (all or
  nothing for that record), its holds checked again first, and audited as a
  "delete" naming the rule and the review; then names are taken out of every
  other record (erasure.scrub). A job that stopped part-way (a restart) is
  carried on from the review's page (`carry_on`).
* `purge_routine(now)`: the schedule's routine lines (sessions, idempotency
  keys, notifications, ended break-glass grants...) need no approval and are
  purged daily (`manage.py purge_routine_records`), except what is about a
  person whose subject access request is open.
"""

import datetime
import json
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.jobs import services as jobs
from hoth.jobs.models import Job
from hoth.jobs.progress import Progress

from . import erasure, schedule
from .models import RetentionAction, RetentionItem, RetentionReview, RetentionRule
from .selectors import CARRY_OUT, carrying_out, counts, review_rules
from .triggers import add_period

logger = logging.getLogger(__name__)
SYSTEM = "retention schedule"
AREA = "retention"
KEEP = "keep"


def _version():
    versions = sorted({v for v in RetentionRule.objects.values_list("version", flat=True) if v})
    changed = RetentionRule.objects.filter(version="").exists()
    return ", ".join(versions) + (" with local changes" if changed else "")


def _handled():
    """(model, id) already proposed and waiting, already erased, or kept
    after a review whose next review is not yet due."""
    waiting = RetentionItem.objects.filter(
        review__status__in=[RetentionReview.Status.PROPOSED, RetentionReview.Status.APPROVED]
    )
    done = RetentionItem.objects.filter(status=RetentionItem.Status.DONE)
    return {(m, i) for m, i in waiting.values_list("model", "object_id")} | {
        (m, i) for m, i in done.values_list("model", "object_id")
    }


def _retained(today):
    return {
        (m, i)
        for m, i in RetentionItem.objects.filter(
            status=RetentionItem.Status.RETAINED, retained_until__gt=today
        ).values_list("model", "object_id")
    }


def propose_due(now: datetime.datetime | None = None) -> RetentionReview | None:
    """Write a review of everything past its trigger at `now` that needs the
    officer's approval, or return None when nothing is due. Never erases."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    skip = _handled() | _retained(today)
    erased_people = set(
        RetentionItem.objects.filter(status=RetentionItem.Status.DONE, model="people.Person").values_list(
            "object_id", flat=True
        )
    )
    found = []
    for rule in RetentionRule.objects.filter(is_active=True):
        kind = schedule.KINDS.get(rule.code)
        if kind is None or kind.find is None or kind.kept:
            continue
        due = [
            d
            for d in kind.find(rule, now)
            if d.due_on is not None and d.due_on <= today and (rule.model, d.object_id) not in skip
        ]
        if kind.owner == "referral":
            # A referral is already anonymised with its child's record.
            due = [d for d in due if d.person_id not in erased_people]
        held = kind.holds([d.object_id for d in due], now) if due else {}
        found += [(rule, d, held.get(d.object_id, "")) for d in due]
        skip |= {(rule.model, d.object_id) for d in due}
    if not found:
        return None
    with transaction.atomic():
        review = RetentionReview.objects.create(proposed_at=now, due_by=now, schedule_version=_version())
        RetentionItem.objects.bulk_create(
            [
                RetentionItem(
                    review=review,
                    rule=rule,
                    model=rule.model,
                    object_id=d.object_id,
                    reference=d.reference,
                    person_id=d.person_id,
                    due_on=d.due_on,
                    hold_reason=hold,
                    status=RetentionItem.Status.HELD if hold else RetentionItem.Status.DUE,
                )
                for rule, d, hold in found
            ],
            batch_size=1000,
        )
        log.record("create", actor=SYSTEM, obj=review, detail={"area": AREA, "counts": counts(review)})
    return review


def _decide(user, review, status, reason, decisions, now, audit):
    policy.check(user, "retention.review", review)
    problems = {}
    if not (reason or "").strip():
        problems["reason"] = "Give the reason for your decision"
    review = RetentionReview.objects.select_for_update().get(pk=review.pk)
    if review.status != RetentionReview.Status.PROPOSED:
        problems["__all__"] = "This review has already been decided"
    if status == RetentionReview.Status.APPROVED:
        for rule in review_rules(review):
            if decisions.get(rule.code) not in (KEEP, rule.after_review):
                after = rule.get_after_review_display().lower()
                problems[f"decision_{rule.code}"] = f"Choose whether to keep or {after} them"
    if problems:
        raise ValidationError(problems)
    review.status = status
    review.decided_by, review.decided_at, review.decision_reason = user, now, reason.strip()
    review.decisions = dict(decisions) if status == RetentionReview.Status.APPROVED else {}
    review.save()
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=review,
        reason=review.decision_reason,
        detail={"area": AREA, "decision": status, "decisions": review.decisions, "counts": counts(review)},
    )
    return review


def approve(
    user: User,
    review: RetentionReview,
    *,
    reason: str,
    decisions: dict[str, str] | None = None,
    now: datetime.datetime | None = None,
    audit: AuditContext | None = None,
) -> Job:
    """Approve a proposed review and return the job that carries it out: the
    decision and the job are written together, so an approved review always
    has its job."""
    with transaction.atomic():
        review = _decide(
            user, review, RetentionReview.Status.APPROVED, reason, decisions or {}, now or timezone.now(), audit
        )
        return _start_carrying_out(user, review)


def carry_on(user: User, review: RetentionReview) -> Job:
    """Start carrying out again an approved review whose job stopped part-way."""
    policy.check(user, "retention.review", review)
    with transaction.atomic():
        review = RetentionReview.objects.select_for_update().get(pk=review.pk)
        job = carrying_out(review)
        if review.status != RetentionReview.Status.APPROVED or (job is not None and not job.is_finished):
            raise ValidationError("This review is not waiting to be carried on")
        return _start_carrying_out(user, review)


def _start_carrying_out(user, review):
    due = review.items.filter(status=RetentionItem.Status.DUE).count()
    return jobs.start(
        CARRY_OUT,
        user=user,
        title=f"Carrying out retention review {review.pk}",
        params={"review": review.pk},
        total=due,
        unit="records done",
    )


@transaction.atomic
def reject(
    user: User,
    review: RetentionReview,
    *,
    reason: str,
    now: datetime.datetime | None = None,
    audit: AuditContext | None = None,
) -> RetentionReview:
    """Nothing is erased. The records are proposed again by the next run if still due."""
    return _decide(user, review, RetentionReview.Status.REJECTED, reason, {}, now or timezone.now(), audit)


def _action(rule, review):
    if rule.action == RetentionAction.REVIEW:
        return review.decisions.get(rule.code, KEEP)
    return rule.action


def carry_out(
    review: RetentionReview,
    user: User,
    *,
    now: datetime.datetime | None = None,
    audit: AuditContext | None = None,
    progress: Progress | None = None,
) -> RetentionReview:
    """Erase the approved review's records, one transaction each, then scrub
    their names from every other record. Safe to run again on a review that
    stopped part-way: it carries on from where it stopped. `progress` (the
    job's) counts the records done."""
    now = now or timezone.now()
    done = 0
    # What is kept is kept from the officer's decision, however long the job waited.
    decided = timezone.localdate(review.decided_at or now)
    if review.status not in (RetentionReview.Status.APPROVED, RetentionReview.Status.CARRIED_OUT):
        raise ValidationError("Only an approved review is carried out")
    outcome = {}
    for rule in RetentionRule.objects.filter(pk__in=review.items.values("rule")):
        kind = schedule.kind(rule)
        action = _action(rule, review)
        items = list(review.items.filter(rule=rule, status=RetentionItem.Status.DUE))
        if not items:
            continue
        if action == KEEP:
            until = add_period(decided, rule.review_again_years or rule.period_years or 1)
            RetentionItem.objects.filter(pk__in=[i.pk for i in items]).update(
                status=RetentionItem.Status.RETAINED, retained_until=until, action_taken=KEEP, done_at=now
            )
            log.record(
                "update",
                audit=audit,
                user=user,
                obj=review,
                detail={
                    "area": AREA,
                    "rule": rule.code,
                    "kept_after_review": len(items),
                    "until": until,
                    "ids": [i.object_id for i in items],
                },
            )
            outcome[rule.code] = {KEEP: len(items)}
            done += len(items)
            if progress:
                progress.advance(done)
            continue
        # Holds are asked again: a case reopened or a request received since the proposal still stops it.
        held = kind.holds([i.object_id for i in items], now)
        model = schedule.model_of(rule)
        for item in items:
            result = _carry_out_item(
                item, rule, kind, model, action, held.get(item.object_id), user, review, now, audit
            )
            outcome.setdefault(rule.code, {}).setdefault(result, 0)
            outcome[rule.code][result] += 1
            done += 1
            if progress:
                progress.advance(done)
    if progress:
        progress.stage("Taking the erased names out of other records")
    scrubbed = finish_scrub(review)
    review.status, review.carried_out_at = RetentionReview.Status.CARRIED_OUT, now
    review.save(update_fields=["status", "carried_out_at"])
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=review,
        detail={"area": AREA, "carried_out": outcome, "values_scrubbed": scrubbed},
    )
    return review


def _carry_out_item(item, rule, kind, model, action, hold, user, review, now, audit):
    if hold:
        item.status, item.hold_reason = RetentionItem.Status.NOT_DUE, hold
        item.save(update_fields=["status", "hold_reason"])
        return item.status
    try:
        with transaction.atomic():
            record = model._base_manager.select_for_update().filter(pk=item.object_id).first()
            if record is None:
                item.status, item.error = RetentionItem.Status.NOT_DUE, "It no longer exists"
                item.save(update_fields=["status", "error"])
                return item.status
            pk = record.pk
            terms = erasure.erase(kind.owner, record, action)
            # Written last, because appending to the chain holds its lock until the
            # commit; with the id Django clears from what it deleted, since the
            # event is what outlives the record.
            record.pk = pk
            log.record(
                "delete",
                audit=audit,
                user=user,
                obj=record,
                person=item.person_id,
                detail={
                    "area": AREA,
                    "review": review.pk,
                    "rule": rule.code,
                    "action": action,
                    "record_type": rule.model,
                    "reference": item.reference,
                },
            )
            item.status, item.action_taken, item.done_at = RetentionItem.Status.DONE, action, now
            item.scrub_terms = json.dumps(terms) if terms else ""
            item.save(update_fields=["status", "action_taken", "done_at", "scrub_terms"])
    except Exception as error:  # noqa: BLE001  one record failing leaves it whole and the others go on
        logger.exception("Retention: %s %s could not be erased", rule.model, item.object_id)
        item.refresh_from_db()
        item.status, item.error = RetentionItem.Status.FAILED, type(error).__name__[:200]
        item.save(update_fields=["status", "error"])
    return item.status


def finish_scrub(review: RetentionReview) -> int:
    """Take the erased records' names out of every other record, then forget them."""
    waiting = list(review.items.exclude(scrub_terms=""))
    if not waiting:
        return 0
    changed = erasure.scrub(erasure.pending_terms(waiting))
    RetentionItem.objects.filter(pk__in=[i.pk for i in waiting]).update(scrub_terms="")
    return changed


def purge_routine(now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete the routine records past their period: {rule code: rows deleted}."""
    now = now or timezone.now()
    purged = {}
    for rule in RetentionRule.objects.filter(is_active=True, needs_approval=False):
        kind = schedule.KINDS.get(rule.code)
        if kind is None or not kind.routine:
            continue
        # A routine kind is one with a purge.
        assert kind.purge is not None
        total = 0
        with transaction.atomic():
            for queryset in kind.purge(rule, now):
                total += queryset.delete()[1].get(queryset.model._meta.label, 0)
            if total:
                log.record(
                    "delete",
                    actor=SYSTEM,
                    detail={
                        "area": AREA,
                        "rule": rule.code,
                        "routine": True,
                        "record_type": rule.model,
                        "count": total,
                    },
                )
        purged[rule.code] = total
    return purged


# ---------------------------------------------------------------- the schedule itself


@transaction.atomic
def change_rule(
    user: User,
    rule: RetentionRule,
    values: dict[str, Any],  # the form's cleaned data by field name: numbers, text and choices
    *,
    audit: AuditContext | None = None,
) -> RetentionRule:
    """A system administrator's change to a line of the schedule. Its version
    is cleared so that later loads of the published schedule leave it alone."""
    policy.check(user, "reference_data.manage", rule)
    rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
    changed = {name: [getattr(rule, name), value] for name, value in values.items() if getattr(rule, name) != value}
    if not changed:
        return rule
    for name, value in values.items():
        setattr(rule, name, value)
    published = rule.version
    rule.version = ""
    rule.save()
    log.record(
        "admin",
        audit=audit,
        user=user,
        obj=rule,
        detail={
            "reference_data": "retention_schedule",
            "change": "changed",
            "code": rule.code,
            "changed": {name: [str(before), str(after)] for name, (before, after) in changed.items()},
            "published_version": published,
        },
    )
    return rule
