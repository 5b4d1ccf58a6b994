"""Reference data for the person register, loaded from versioned fixtures in
reference_data/. `manage.py load_reference_data` calls load() in every app that
has a `reference` module like this one."""

import json
from pathlib import Path

from django.db import transaction

from .models import NameVariantGroup

FIXTURES = Path(__file__).parent / "reference_data"


@transaction.atomic
def load():
    """Bring the name variant groups up to the fixture's version. Idempotent.
    Groups an administrator added (no version) are never touched, and a group
    an administrator switched off stays off."""
    data = json.loads((FIXTURES / "name_variants.json").read_text(encoding="utf-8"))
    version = data["version"]
    existing = {g.name: g for g in NameVariantGroup.objects.all()}
    created = updated = 0
    for entry in data["groups"]:
        group = existing.get(entry["name"])
        if group is None:
            NameVariantGroup.objects.create(name=entry["name"], variants=entry["variants"], version=version)
            created += 1
        elif group.version and (group.version != version or group.variants != entry["variants"]):
            group.variants, group.version = entry["variants"], version
            group.save(update_fields=["variants", "version"])
            updated += 1
    from .search import forget_variants

    forget_variants()
    return f"name variant groups {version}: {created} added, {updated} updated"
