"""Reference data: the board's measures, from fixtures/measures.json."""

import json
from datetime import date
from pathlib import Path

from django.db import transaction

from hoth.analytics.kpis.registry import CALCULATIONS

from .models import Measure

FIXTURE = Path(__file__).parent / "fixtures" / "measures.json"


def published() -> dict:
    return json.loads(FIXTURE.read_text())


@transaction.atomic
def load() -> str:
    """Write each measure's published version and make it the current one;
    earlier versions stay, no longer current, for the figures frozen under
    them. Loading again rewrites a version's wording, never adds a copy."""
    data = published()
    on = date.fromisoformat(data["published_on"])
    for position, given in enumerate(data["measures"]):
        fields = {key: value for key, value in given.items() if key not in ("code", "version")}
        Measure.objects.filter(code=given["code"]).exclude(version=given["version"]).update(is_current=False)
        Measure.objects.update_or_create(
            code=given["code"],
            version=given["version"],
            defaults={
                **fields,
                "target": fields.get("target"),
                "tolerance": fields.get("tolerance"),
                # What a unit is comes from the code that counts it.
                "counts": CALCULATIONS[given["calculation"]].counts,
                "position": position,
                "published_on": on,
                "is_current": True,
            },
        )
    gone = Measure.objects.current().exclude(code__in=[given["code"] for given in data["measures"]])
    gone.update(is_current=False)
    return f"{len(data['measures'])} measures"
