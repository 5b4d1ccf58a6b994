"""Reference data for contexts: the towns the maps draw as labelled points
and the problem profile's areas are made of. Another partnership replaces
the fixture with its own towns."""

import json
from pathlib import Path

from django.db import transaction

from .models import Town

FIXTURE = Path(__file__).parent / "fixtures" / "towns.json"


@transaction.atomic
def load():
    """Add the published towns and put back their published places; towns
    added by hand are left alone."""
    published = json.loads(FIXTURE.read_text())
    for row in published["towns"]:
        Town.objects.update_or_create(
            name=row["name"],
            defaults={
                "latitude": row["latitude"],
                "longitude": row["longitude"],
                "in_partnership": row["in_partnership"],
            },
        )
    return f"{len(published['towns'])} towns ({published['version']})"
