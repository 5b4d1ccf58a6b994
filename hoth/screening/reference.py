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
from typing import Any

from django.db import transaction
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import User
from hoth.analytics.screening import validate_tool
from hoth.audit.context import AuditContext
from hoth.audit.log import record

from .models import ScreeningTool

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_PATTERN = "screening_tool_*.json"
ACTION = "reference_data.manage"


def version_key(version: str) -> tuple[tuple[int, int, str], ...]:
    """Order versions as people read them: 2026.10 after 2026.9."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.\-_]", version))


# A definition is the tool's JSON: values of every kind.
def fixture_definitions() -> dict[str, dict[str, Any]]:
    """{version: definition} for every tool version shipped with the service."""
    shipped = {}
    for path in sorted(FIXTURES.glob(FIXTURE_PATTERN)):
        definition = json.loads(path.read_text(encoding="utf-8"))
        shipped[definition["version"]] = definition
    return shipped


def fixture_versions() -> set[str]:
    return set(fixture_definitions())


def harm_type_codes() -> set[str] | None:
    """The harm types an indicator may name, or None before they are loaded
    (load_reference_data may run this app before the referrals app)."""
    from hoth.referrals.models import HarmType

    codes = set(HarmType.objects.values_list("code", flat=True))
    return codes or None


def _stored(definition):
    # The notes describe the version; they are kept on the row, not in the rules.
    return {key: value for key, value in definition.items() if key != "notes"}


@transaction.atomic
def load() -> str:
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


def as_json(tool: ScreeningTool) -> str:
    """The version as a file an administrator can edit and upload as the next one."""
    definition = dict(tool.definition)
    if tool.notes:
        definition["notes"] = tool.notes
    return json.dumps(definition, indent=2, ensure_ascii=False) + "\n"


def add_version(
    user: User, definition: dict[str, Any], *, notes: str = "", audit: AuditContext | None = None
) -> ScreeningTool:
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


def publish(user: User, tool: ScreeningTool, *, audit: AuditContext | None = None) -> ScreeningTool:
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
