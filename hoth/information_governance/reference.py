"""Reference data for information governance: the retention schedule
(fixtures/retention_schedule.json) and the reasons for redaction
(fixtures/redaction_reasons.json), loaded by `manage.py load_reference_data`."""

import json
from pathlib import Path

from django.db import transaction

from .models import RedactionReason, RetentionRule

FIXTURES = Path(__file__).parent / "fixtures"
RULE_FIELDS = (
    "record_type",
    "model",
    "trigger",
    "period_years",
    "period_days",
    "case_closed_years",
    "action",
    "after_review",
    "review_again_years",
    "basis",
    "needs_approval",
)
REASON_FIELDS = ("name", "basis", "description")


def published_schedule():
    return json.loads((FIXTURES / "retention_schedule.json").read_text(encoding="utf-8"))


def _values(row, fields):
    values = {name: row.get(name) for name in fields}
    for name in ("record_type", "model", "after_review", "basis", "name", "description"):
        if name in values and values[name] is None:
            values[name] = ""
    for name in ("period_years", "period_days"):
        if name in values:
            values[name] = values[name] or 0
    return values


def _load(model, key, rows, fields, version):
    """Add or update the published rows. A row an administrator changed (its
    version cleared) is left as they made it."""
    existing = {getattr(r, key): r for r in model.objects.all()}
    added = updated = 0
    for position, row in enumerate(rows):
        values = _values(row, fields)
        current = existing.get(row[key])
        if current is None:
            model.objects.create(**{key: row[key]}, version=version, position=position, **values)
            added += 1
        elif current.version:
            changed = {name: value for name, value in values.items() if getattr(current, name) != value}
            if changed or current.version != version or current.position != position:
                for name, value in changed.items():
                    setattr(current, name, value)
                current.version, current.position = version, position
                current.save()
                updated += 1
    return added, updated


@transaction.atomic
def load():
    schedule = published_schedule()
    rules = _load(RetentionRule, "code", schedule["rules"], RULE_FIELDS, schedule["version"])
    reasons_data = json.loads((FIXTURES / "redaction_reasons.json").read_text(encoding="utf-8"))
    reasons = _load(RedactionReason, "code", reasons_data["reasons"], REASON_FIELDS, reasons_data["version"])
    return (
        f"retention schedule {schedule['version']}: {rules[0]} added, {rules[1]} updated; "
        f"redaction reasons {reasons_data['version']}: {reasons[0]} added, {reasons[1]} updated"
    )
