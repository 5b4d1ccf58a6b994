"""System administrators' changes to the catalogue of tactics (reference
data, DESIGN.md rule 3). The published list is loaded by
`manage.py load_reference_data`; these add to it, change it and switch
tactics off and on. A tactic an administrator changes loses its fixture
version, which is how the loader knows to leave it alone; switching one off
keeps its version, as the loader never switches a tactic back on.

Each change is one transaction and writes one audit event.
"""

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from hoth.access import policy
from hoth.accounts.models import User
from hoth.audit import log
from hoth.audit.context import AuditContext

from .forms import TACTIC_FIELDS
from .models import Tactic

ACTION = "reference_data.manage"


def _audit(user: User, audit: AuditContext | None, tactic: Tactic, change: str, **detail: Any) -> None:
    log.record(
        "admin",
        audit=audit,
        user=user,
        obj=tactic,
        detail={
            "reference_data": "disruption_tactics",
            "change": change,
            "code": tactic.code,
            "name": tactic.name,
            "statute": tactic.statute,
            "statute_verified": tactic.statute_verified,
            "is_active": tactic.is_active,
            **detail,
        },
    )


def _code(name: str) -> str:
    """Added tactics get codes the published list never uses, so a later load
    cannot mistake one for its own."""
    base = f"local-{slugify(name)[:48]}".rstrip("-")
    code, n = base, 1
    while Tactic.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


# `values`: the tactic's fields by name (TACTIC_FIELDS), as the form cleaned them:
# text, booleans and the list of subject kinds, hence Any.


@transaction.atomic
def add_tactic(user: User, values: dict[str, Any], *, audit: AuditContext | None = None) -> Tactic:
    policy.check(user, ACTION)
    last = Tactic.objects.order_by("-position").values_list("position", flat=True).first() or 0
    tactic = Tactic.objects.create(
        code=_code(values["name"]),
        version="",
        is_active=True,
        position=last + 1,
        **{name: values[name] for name in TACTIC_FIELDS},
    )
    _audit(user, audit, tactic, "added")
    return tactic


@transaction.atomic
def change_tactic(user: User, tactic: Tactic, values: dict[str, Any], *, audit: AuditContext | None = None) -> Tactic:
    """The version is cleared so that later loads of the published list
    leave the administrator's change alone."""
    policy.check(user, ACTION, tactic)
    tactic = Tactic.objects.select_for_update().get(pk=tactic.pk)
    before = {name: getattr(tactic, name) for name in TACTIC_FIELDS}
    changed = {name: [before[name], values[name]] for name in TACTIC_FIELDS if before[name] != values[name]}
    if not changed:
        return tactic
    for name in TACTIC_FIELDS:
        setattr(tactic, name, values[name])
    was = tactic.version
    tactic.version = ""
    tactic.save()
    _audit(user, audit, tactic, "changed", changed=changed, published_version=was)
    return tactic


@transaction.atomic
def set_tactic_active(user: User, tactic: Tactic, active: bool, *, audit: AuditContext | None = None) -> Tactic:
    """A tactic switched off is no longer offered; activities that used it keep it."""
    policy.check(user, ACTION, tactic)
    tactic = Tactic.objects.select_for_update().get(pk=tactic.pk)
    if tactic.is_active != active:
        tactic.is_active = active
        tactic.save(update_fields=["is_active"])
        _audit(user, audit, tactic, "switched on" if active else "switched off")
    return tactic
