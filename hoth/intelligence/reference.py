"""Reference data for intelligence: the grading codes (3x5x2 and legacy 5x5x5)."""

import json
from pathlib import Path

from django.db import transaction

from . import grading
from .models import GradingCode

FIXTURE = Path(__file__).parent / "fixtures" / "grading_codes.json"


@transaction.atomic
def load():
    """Add or update the published codes. A code an administrator changed
    (its version cleared) is left alone."""
    published = json.loads(FIXTURE.read_text())
    for position, row in enumerate(published["codes"]):
        key = {k: row[k] for k in ("scheme", "dimension", "code")}
        existing = GradingCode.objects.filter(**key).first()
        if existing is not None and not existing.version:
            continue
        GradingCode.objects.update_or_create(
            **key,
            defaults={
                "label": row["label"],
                "description": row.get("description", ""),
                "rank": row.get("rank", 0),
                "equivalent": row.get("equivalent", ""),
                "position": position,
                "version": published["version"],
            },
        )
    grading.forget()
    return f"{len(published['codes'])} grading codes ({published['version']})"
