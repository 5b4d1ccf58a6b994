"""Changing the person register's name variant groups (the reference data
that lets a search for Bill find William): adding, changing and switching a
group off or on, each in one transaction with one audit event, clearing the
cached groups that search reads so that it takes effect at once in this
process (and within the cache's few minutes in the others)."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from hoth.access import policy
from hoth.accounts.models import User
from hoth.audit.context import AuditContext
from hoth.audit.log import record
from hoth.people.models import NameVariantGroup
from hoth.people.search import forget_variants

ACTION = "reference_data.manage"


def _audit(user: User, audit: AuditContext | None, group: NameVariantGroup, change: str, **detail: Any) -> None:
    record(
        "admin",
        audit=audit,
        user=user,
        obj=group,
        detail={
            "reference_data": "name_variants",
            "change": change,
            "name": group.name,
            "variants": list(group.variants),
            "is_active": group.is_active,
            **detail,
        },
    )


def add_group(user: User, name: str, variants: Sequence[str], *, audit: AuditContext | None = None) -> NameVariantGroup:
    policy.check(user, ACTION)
    with transaction.atomic():
        group = NameVariantGroup.objects.create(name=name, variants=variants, version="", is_active=True)
        _audit(user, audit, group, "added")
    forget_variants()
    return group


def change_group(
    user: User, group: NameVariantGroup, name: str, variants: Sequence[str], *, audit: AuditContext | None = None
) -> NameVariantGroup:
    """Change a group's names. The version is cleared so that later loads of
    the published list leave the administrator's change alone."""
    policy.check(user, ACTION, group)
    with transaction.atomic():
        group = NameVariantGroup.objects.select_for_update().get(pk=group.pk)
        before = {"name": group.name, "variants": list(group.variants), "version": group.version}
        group.name, group.variants, group.version = name, variants, ""
        group.save(update_fields=["name", "variants", "version"])
        _audit(user, audit, group, "changed", before=before)
    forget_variants()
    return group


def set_active(
    user: User, group: NameVariantGroup, active: bool, *, audit: AuditContext | None = None
) -> NameVariantGroup:
    policy.check(user, ACTION, group)
    with transaction.atomic():
        group = NameVariantGroup.objects.select_for_update().get(pk=group.pk)
        if group.is_active != active:
            group.is_active = active
            group.save(update_fields=["is_active"])
            _audit(user, audit, group, "switched on" if active else "switched off")
    forget_variants()
    return group
