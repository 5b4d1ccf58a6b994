"""The access gate: the one place asked who may do what and see whom.

Two kinds of decision pass through it, and nothing else decides them:

* scopes narrow a query to the records a user may see. Every model holding
  personal data has one, registered with `@scope("app.Model")` and asked as
  `Model.objects.visible_to(user)` (a `ScopedQuerySet`) or `visible(user, qs)`;
* actions, `can(user, "case.view", case)`, each decided by one rule
  registered with `@rule("case.view")`.

The rules and scopes themselves live beside their models, in each app's
`access.py`, discovered at start-up. This module holds the machinery only and
imports no app's models. `manage.py access_rules` prints every rule and scope
in one table, which is also the reference in docs/security-model.md.

Views, the API, exports and searches ask; they never filter personal data
themselves. An action or a model with no rule is a programming error, not a
silent "no": the system checks in hoth.access.checks find them at start-up.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils.module_loading import autodiscover_modules

from . import memo
from .roles import Actor, ScheduledJob, signed_in


@dataclass(frozen=True)
class Rule:
    action: str
    decide: Callable[[Actor, Any], Any]
    module: str

    @property
    def doc(self) -> str:
        return _first_paragraph(self.decide.__doc__)


@dataclass(frozen=True)
class Scope:
    model: str
    narrow: Callable[[Actor, QuerySet], QuerySet]
    module: str

    @property
    def doc(self) -> str:
        return _first_paragraph(self.narrow.__doc__)


RULES: dict[str, Rule] = {}
SCOPES: dict[str, Scope] = {}


def _first_paragraph(doc: str | None) -> str:
    return " ".join((doc or "").strip().split("\n\n")[0].split())


def rule(action: str) -> Callable:
    """Register the function deciding `action`: f(user, obj) -> bool, where
    obj may be None ("may this user ever do this", for menus and views that
    check the record once they hold it)."""

    def register(decide: Callable[[Actor, Any], Any]) -> Callable[[Actor, Any], Any]:
        if action in RULES:
            raise ValueError(f"Two rules for {action!r}: {RULES[action].module} and {decide.__module__}")
        RULES[action] = Rule(action, decide, decide.__module__)
        return decide

    return register


def scope(label: str) -> Callable:
    """Register the scope of the model `label` ("cases.Case"):
    f(user, queryset) -> the part of queryset `user` may see."""

    def register(narrow: Callable[[Actor, QuerySet], QuerySet]) -> Callable[[Actor, QuerySet], QuerySet]:
        if label in SCOPES:
            raise ValueError(f"Two scopes for {label}: {SCOPES[label].module} and {narrow.__module__}")
        SCOPES[label] = Scope(label, narrow, narrow.__module__)
        return narrow

    return register


def discover() -> None:
    """Import every app's access.py, so that its rules and scopes register."""
    autodiscover_modules("access")


def can(user: Actor, action: str, obj: Any = None) -> bool:
    if action not in RULES:
        raise KeyError(f"No access rule for {action!r}: add one to its app's access.py")
    if not signed_in(user):
        return False
    return bool(RULES[action].decide(user, obj))


def check(user: Actor, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless `user` may do `action` (on `obj`)."""
    if not can(user, action, obj):
        raise PermissionDenied(action)


def visible(user: Actor, records: QuerySet) -> QuerySet:
    """The part of the queryset `records` that `user` may see."""
    label = records.model._meta.label
    if label not in SCOPES:
        raise KeyError(f"No access scope for {label}: add one to its app's access.py")
    if not signed_in(user) or isinstance(user, ScheduledJob):
        return records.none()
    return SCOPES[label].narrow(user, records)


def may_see(user: Actor, obj: Any) -> bool:
    """Whether `user` may see the one record `obj`, asked of its model's scope."""
    return obj is not None and visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def for_purpose(user: Actor, purpose: str, records: Any) -> Any:
    """All of `records`, unscoped, for a read whose result is an aggregate
    (counts on the hotspot map, a problem profile's figures) that no person
    can be read back from. The purpose is an action with its own rule, so the
    read is refused to anyone that rule refuses, and every such read is named
    where it happens."""
    check(user, purpose, None)
    return records


def find(user: Actor, records: QuerySet, action: str | None = None, **lookup: Any) -> Any:
    """The one record of `records` that `lookup` names, if `user` may see it
    (and, given `action`, do it); otherwise 404, the same 404 whether or not
    the record exists, so a reference tried in the address bar tells no one
    that a child or a case is known. The one exception is a person's record,
    which answers 403 (see people.access.find_person) so that emergency access
    can be offered."""
    found = visible(user, records).filter(**lookup).first()
    if found is None:
        raise Http404(f"There is no {records.model._meta.verbose_name} here that you may see")
    memo.seen(user, found)
    if action is not None:
        check(user, action, found)
    return found


class ScopedQuerySet(models.QuerySet):
    """A queryset whose model has a scope in the gate."""

    def visible_to(self, user: Actor) -> QuerySet:
        return visible(user, self)
