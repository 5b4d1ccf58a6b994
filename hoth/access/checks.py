"""System checks that keep the gate whole: start-up fails when a model
offers `visible_to` without a scope, or when code asks for an action that no
rule decides (read from the source, so a branch no test reaches is checked too)."""

import ast
import re
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import checks

from . import policy

HOTH = Path(__file__).resolve().parents[1]
# "case.view", "case_note.add": a noun, a dot, a verb.
ACTION = re.compile(r"^[a-z_]+\.[a-z_]+$")


@checks.register("access")
def every_scoped_model_has_a_scope(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if hasattr(model._default_manager, "visible_to") and model._meta.label not in policy.SCOPES:
            errors.append(
                checks.Error(
                    f"{model._meta.label} offers visible_to() but no scope decides it",
                    hint=f'Add @scope("{model._meta.label}") to {model._meta.app_config.name}.access',
                    obj=model,
                    id="access.E001",
                )
            )
    for label, scope in policy.SCOPES.items():
        try:
            apps.get_model(label)
        except LookupError:
            errors.append(checks.Error(f"{scope.module} scopes {label}, which is not a model", id="access.E002"))
    return errors


@checks.register("access")
def every_action_asked_has_a_rule(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"{where} asks for {action!r}, which no rule decides",
            hint="Add a @rule to the app's access.py, or correct the name",
            id="access.E003",
        )
        for action, where in actions_asked()
        if action not in policy.RULES
    ]


# Calls whose string arguments are actions: the gate's own, and the view
# helpers that find a record and check an action on it.
ASKERS = {"can", "check", "allowed", "for_purpose", "find", "find_person", "get_case"}
# Parameters and keywords that carry an action's name.
ACTION_ARGUMENTS = ("action", "download_action", "purpose")


@cache
def actions_asked() -> tuple[tuple[str, str], ...]:
    """(action, "file:line") for every action named in hoth/: the arguments of
    can/check/allowed and the helpers that pass an action on, the API's
    gates, job kinds' download actions, and `action=` defaults and keywords."""
    found: list[tuple[str, str]] = []
    for path in sorted(HOTH.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        where = path.relative_to(HOTH.parent)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            found.extend((name, f"{where}:{getattr(node, 'lineno', 0)}") for name in _named_actions(node))
    return tuple(found)


def _named_actions(node: ast.AST) -> list[str]:
    candidates = []
    if isinstance(node, ast.Call):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in ASKERS:
            candidates += node.args
        if name == "gate":
            candidates += [keyword.value.elts[0] for keyword in node.keywords if isinstance(keyword.value, ast.Tuple)]
        candidates += [keyword.value for keyword in node.keywords if keyword.arg in ACTION_ARGUMENTS]
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        arguments = node.args.args + node.args.kwonlyargs
        defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + node.args.defaults + node.args.kw_defaults
        candidates += [
            default for argument, default in zip(arguments, defaults) if argument.arg in ACTION_ARGUMENTS and default
        ]
    return [
        c.value
        for c in candidates
        if isinstance(c, ast.Constant) and isinstance(c.value, str) and ACTION.match(c.value)
    ]
