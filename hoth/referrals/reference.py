"""Reference data for referrals: the harm types (Working Together 2023)."""

import json
from pathlib import Path

from django.db import transaction

from .models import HarmType

FIXTURE = Path(__file__).parent / "fixtures" / "harm_types.json"


@transaction.atomic
def load():
    """Add or update the harm types in the fixture; an administrator's own
    additions are left alone."""
    rows = json.loads(FIXTURE.read_text())
    for position, row in enumerate(rows):
        HarmType.objects.update_or_create(code=row["code"], defaults={**row, "position": position})
    return f"{len(rows)} harm types"
