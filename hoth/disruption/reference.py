"""Reference data for disruption: the catalogue of tactics, loaded from
fixtures/tactics.json by `manage.py load_reference_data`."""

import json
from pathlib import Path

from django.db import transaction

from .models import Tactic

FIXTURE = Path(__file__).parent / "fixtures" / "tactics.json"
FIELDS = (
    "name",
    "kind",
    "statute",
    "statute_verified",
    "who_can_apply",
    "thresholds",
    "duration_notes",
    "has_duration",
    "subject_kinds",
)


def published():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@transaction.atomic
def load():
    """Add or update the published tactics. Idempotent. A tactic an
    administrator changed (its version cleared) is left as they made it, and
    one they switched off stays off: loading never switches a tactic on."""
    data = published()
    version = data["version"]
    existing = {t.code: t for t in Tactic.objects.all()}
    names = {t.name.casefold() for t in existing.values()}
    added = updated = skipped = 0
    for position, row in enumerate(data["tactics"]):
        values = {name: row.get(name, "") for name in FIELDS}
        values["statute_verified"] = bool(row.get("statute_verified"))
        values["has_duration"] = bool(row.get("has_duration"))
        values["subject_kinds"] = list(row.get("subject_kinds", []))
        tactic = existing.get(row["code"])
        if tactic is None and values["name"].casefold() in names:
            # An administrator already added a tactic of that name: theirs stands.
            skipped += 1
        elif tactic is None:
            Tactic.objects.create(code=row["code"], version=version, position=position, **values)
            added += 1
        elif tactic.version:
            changed = {name: value for name, value in values.items() if getattr(tactic, name) != value}
            if changed or tactic.version != version or tactic.position != position:
                for name, value in changed.items():
                    setattr(tactic, name, value)
                tactic.version, tactic.position = version, position
                tactic.save()
                updated += 1
    summary = f"disruption tactics {version}: {added} added, {updated} updated"
    return summary + (f", {skipped} left to the tactics administrators added" if skipped else "")
