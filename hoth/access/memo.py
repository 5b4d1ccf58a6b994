"""What the gate has worked out during one request.

A page asks the same questions (whom does this user work with, may they see
this case) many times, and each answer costs a query. Outside a request
(services, commands, tests calling the gate directly) nothing is remembered.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from .roles import Actor

_memo: ContextVar[dict | None] = ContextVar("hoth_access_memo", default=None)


@contextmanager
def remembering() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def active() -> bool:
    return _memo.get() is not None


def remembered(key: Hashable, work: Callable[[], Any]) -> Any:
    """`work()`, worked out once per request for `key`."""
    memo = _memo.get()
    if memo is None:
        return work()
    if key not in memo:
        memo[key] = work()
    return memo[key]


def seen(user: Actor, obj: Model) -> None:
    """`obj` was just read through its model's scope for `user`: a later check
    in this request that they may see it need not ask the database again."""
    memo = _memo.get()
    if memo is not None:
        memo[seen_key(user, obj)] = True


def seen_key(user: Actor, obj: Model) -> tuple:
    return ("seen", obj._meta.label, user.pk, obj.pk)


def forget(**signal_kwargs: Any) -> None:
    """Drop what this request remembered: called whenever who-works-with-whom
    changes, so a request never acts on an answer its own writes made stale."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def forget_when_changed(model: type[Model]) -> None:
    """Forget whenever a row of `model` (or, for an m2m through model, a link)
    is written or deleted: each app names the models its scopes depend on."""
    uid = f"access-forget-{model._meta.label}"
    if model._meta.auto_created:
        m2m_changed.connect(forget, sender=model, dispatch_uid=uid)
        return
    post_save.connect(forget, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(forget, sender=model, dispatch_uid=f"{uid}-delete")
