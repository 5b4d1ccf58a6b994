"""The typed part of the tree stays typed: every public function in the
files mypy checks (pyproject.toml's [tool.mypy] files) says what it takes and
returns. mypy alone would pass a function with no hints at all."""

import ast
import tomllib
from glob import glob
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def typed_files():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]["files"]
    found = set()
    for pattern in patterns:
        for match in map(Path, glob(str(ROOT / pattern))):
            found |= set(match.rglob("*.py")) if match.is_dir() else {match}
    return sorted(path.relative_to(ROOT) for path in found if "migrations" not in path.parts)


def untyped(source):
    """Public module-level functions missing a parameter's or the return's hint."""
    missing = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name.startswith("_"):
            continue
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        arguments += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
        if node.returns is None or any(a.annotation is None for a in arguments):
            missing.append(node.name)
    return missing


def test_the_typed_files_include_every_apps_services_and_selectors():
    files = {str(path) for path in typed_files()}
    assert {"hoth/cases/services.py", "hoth/cases/selectors.py", "hoth/access/policy.py", "hoth/audit/log.py"} <= files


@pytest.mark.parametrize("path", typed_files(), ids=str)
def test_every_public_function_is_typed(path):
    assert untyped((ROOT / path).read_text(encoding="utf-8")) == []


def test_the_reader_finds_a_missing_hint():
    assert untyped("def a(x: int) -> int: ...\ndef b(x) -> int: ...\ndef c(x: int): ...\ndef _d(x): ...") == ["b", "c"]
