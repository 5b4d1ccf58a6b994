"""The screening tool as reference data: shipped versions, uploaded versions,
and which one is current.

A version is never changed once installed: every screening keeps the version it
was scored with (ScreeningTool is PROTECTed from deletion by Screening.tool), so
an old level can always be explained as it was given. A new tool is a new
version, shipped as fixtures/screening_tool_<version>.json or uploaded by a
system administrator, and becomes current only when published.

`manage.py load_reference_data` calls load().
"""

import json
import re
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from hoth.access import policy
from hoth.analytics.screening import validate_tool
from hoth.audit.log import record

from .models import ScreeningTool

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_PATTERN = "screening_tool_*.json"
ACTION = "reference_data.manage"


def version_key(version):
    """Order versions as people read them: 2026.10 after 2026.9."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.\-_]", version))


def fixture_definitions():
    """{version: definition} for every tool version shipped with the service."""
    shipped = {}
    for path in sorted(FIXTURES.glob(FIXTURE_PATTERN)):
        definition = json.loads(path.read_text(encoding="utf-8"))
        shipped[definition["version"]] = definition
    return shipped


def fixture_versions():
    return set(fixture_definitions())


def harm_type_codes():
    """The harm types an indicator may name, or None before they are loaded
    (load_reference_data may run this app before the referrals app)."""
    from hoth.referrals.models import HarmType

    codes = set(HarmType.objects.values_list("code", flat=True))
    return codes or None


def _stored(definition):
    # The notes describe the version; they are kept on the row, not in the rules.
    return {key: value for key, value in definition.items() if key != "notes"}


@transaction.atomic
def load():
    """Install shipped versions not yet present (an installed version is never
    changed) and make the newest shipped version current, unless an
    administrator has since published another. Idempotent."""
    shipped = fixture_definitions()
    if not shipped:
        return "no screening tool versions shipped"
    harm_types = harm_type_codes()
    present = set(ScreeningTool.objects.filter(version__in=shipped).values_list("version", flat=True))
    added = []
    for version in sorted(shipped, key=version_key):
        if version in present:
            continue
        definition = shipped[version]
        problems = validate_tool(definition, harm_types)
        if problems:
            raise ValueError(f"Screening tool {version} in fixtures is not valid: " + "; ".join(problems))
        ScreeningTool.objects.create(
            version=version,
            name=definition["name"],
            definition=_stored(definition),
            notes=definition.get("notes", ""),
            is_current=False,
        )
        added.append(version)
    newest = ScreeningTool.objects.get(version=max(shipped, key=version_key))
    current = ScreeningTool.objects.select_for_update().filter(is_current=True).first()
    if current is None or (current.pk != newest.pk and not _administrator_chose(current, newest)):
        _make_current(newest)
        current = newest
    return f"screening tool: {len(added)} version(s) added; current version {current.version}"


def _administrator_chose(current, newest_shipped):
    """An administrator published `current` after the newest shipped version
    arrived, or published a later version: load() must leave their choice."""
    if current.published_by_id is None:
        return False
    return current.published_at >= newest_shipped.published_at or (
        version_key(current.version) > version_key(newest_shipped.version)
    )


def _make_current(tool):
    # Cleared first: the database allows one current version at a time.
    ScreeningTool.objects.filter(is_current=True).exclude(pk=tool.pk).update(is_current=False)
    ScreeningTool.objects.filter(pk=tool.pk).update(is_current=True)
    tool.is_current = True


def versions_with_use():
    """Every version, newest first, with how many screenings used it."""
    tools = ScreeningTool.objects.annotate(screening_count=Count("screenings")).select_related("published_by")
    return sorted(tools, key=lambda t: version_key(t.version), reverse=True)


def as_json(tool):
    """The version as a file an administrator can edit and upload as the next one."""
    definition = dict(tool.definition)
    if tool.notes:
        definition["notes"] = tool.notes
    return json.dumps(definition, indent=2, ensure_ascii=False) + "\n"


def add_version(user, definition, *, notes="", audit=None):
    """Install an uploaded version without making it current. The caller has
    validated it (validate_tool with the harm types, and a new version)."""
    policy.check(user, ACTION)
    with transaction.atomic():
        tool = ScreeningTool.objects.create(
            version=definition["version"],
            name=definition["name"],
            definition=_stored(definition),
            notes=notes or definition.get("notes", ""),
            is_current=False,
            published_by=None,
        )
        record(
            "admin",
            audit=audit,
            user=user,
            obj=tool,
            detail={"reference_data": "screening_tool", "change": "uploaded", "version": tool.version},
        )
    return tool


def publish(user, tool, *, audit=None):
    """Make `tool` the version every new screening uses. Screenings already
    made keep theirs."""
    policy.check(user, ACTION, tool)
    with transaction.atomic():
        previous = ScreeningTool.objects.select_for_update().filter(is_current=True).first()
        tool = ScreeningTool.objects.select_for_update().get(pk=tool.pk)
        if previous is not None and previous.pk == tool.pk:
            return tool
        _make_current(tool)
        tool.published_at, tool.published_by = timezone.now(), user
        tool.save(update_fields=["published_at", "published_by"])
        record(
            "admin",
            audit=audit,
            user=user,
            obj=tool,
            detail={
                "reference_data": "screening_tool",
                "change": "published",
                "version": tool.version,
                "previous_version": previous.version if previous else None,
            },
        )
    return tool
