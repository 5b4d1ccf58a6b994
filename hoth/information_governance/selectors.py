"""What the data protection officer's pages, jobs and commands read about
retention and subject access without changing anything: a retention review's
counts, the rules in it awaiting a keep-or-erase decision and the job
carrying it out; a subject access request's redactions as they apply to its
disclosure, and the disclosure as the machine-readable file the requester
receives.
"""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from hoth.jobs.models import Job

from . import disclosure
from .models import RedactionReason, RetentionAction, RetentionReview, RetentionRule, SubjectAccessRequest
from .redaction import Redactor, ShownSection

# The kind of the background job that carries out an approved retention review.
CARRY_OUT = "information_governance.carry_out_review"


# ---------------------------------------------------------------- retention


def counts(review: RetentionReview) -> dict[str, dict[str, int]]:
    """{rule code: {status: n}} for a review."""
    result: dict[str, dict[str, int]] = {}
    for code, status in review.items.values_list("rule__code", "status"):
        result.setdefault(code, {}).setdefault(status, 0)
        result[code][status] += 1
    return result


def review_rules(review: RetentionReview) -> list[RetentionRule]:
    """The rules with records in the review whose action is a review: the
    officer decides, for each, to keep the records or to erase them."""
    codes = set(review.items.values_list("rule__code", flat=True))
    return [r for r in RetentionRule.objects.filter(code__in=codes) if r.action == RetentionAction.REVIEW]


def carrying_out(review: RetentionReview) -> Job | None:
    """The newest job that carries the review out, or None."""
    return Job.objects.filter(kind=CARRY_OUT, params__review=review.pk).order_by("-created_at", "-pk").first()


# ---------------------------------------------------------------- subject access


def redactor(sar: SubjectAccessRequest) -> Redactor:
    return Redactor(list(sar.redactions.select_related("reason")))


# The file is JSON: its values are strings, lists and nested objects.
def machine_readable(sar: SubjectAccessRequest, sections: Iterable[ShownSection]) -> dict[str, Any]:
    """The JSON file (format documented in docs/data-model.md)."""
    reasons = RedactionReason.objects.filter(pk__in=sar.redactions.filter(is_redacted=True).values("reason")).order_by(
        "position"
    )
    return {
        "format": disclosure.FORMAT,
        "marking": "OFFICIAL-SENSITIVE",
        "request": {
            "reference": sar.reference,
            "received_on": sar.received_on.isoformat(),
            "due_on": sar.deadline.isoformat(),
            "subject": sar.person.reference if sar.person else None,
        },
        "produced_on": timezone.localdate().isoformat(),
        "assembled_at": sar.content["assembled_at"],
        "redaction_reasons": [{"code": r.code, "name": r.name, "basis": r.basis} for r in reasons],
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "items": [
                    {"withheld": i.withheld.reason.code if i.withheld.reason else ""}
                    if i.withheld is not None
                    else {
                        "key": i.key,
                        "kind": i.kind,
                        "title": i.title_parts,
                        "date": i.date or None,
                        "reference": i.reference or None,
                        "fields": [{"label": f.label, "parts": f.parts} for f in i.fields],
                    }
                    for i in s.items
                ],
            }
            for s in sections
        ],
    }
