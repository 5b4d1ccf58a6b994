"""What may import what, read from the source with the standard library's
`ast` (migrations excluded), so that the architecture cannot drift quietly.

The analytics and the other pure modules (working days, the screening
clock's service standard, subject access deadlines) import neither Django
nor any app: they run on plain data and are tested without a database."""

import ast
from pathlib import Path

import pytest

HOTH = Path(__file__).resolve().parents[2] / "hoth"
# Plain Python by design, each saying so in its docstring.
PURE_MODULES = ("hoth.working_days.counting", "hoth.referrals.service_standard",
                "hoth.information_governance.deadlines")


def module_name(path):
    parts = path.relative_to(HOTH.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path):
    """Every module `path` imports, anywhere in it (inside functions too:
    an import deferred into a function is still a dependency)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module
            found.add(target)
            # `from . import x` and `from hoth import pdf` name modules too.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def sources():
    return [path for path in HOTH.rglob("*.py") if "migrations" not in path.parts]


def pure_sources():
    analytics = [path for path in sources() if module_name(path).startswith("hoth.analytics")]
    declared = [path for path in sources() if module_name(path) in PURE_MODULES]
    assert len(declared) == len(PURE_MODULES), "a pure module named here no longer exists"
    return analytics + declared


@pytest.mark.parametrize("path", pure_sources(), ids=module_name)
def test_pure_modules_import_neither_django_nor_an_app(path):
    name = module_name(path)
    allowed = ("hoth.analytics",) if name.startswith("hoth.analytics") else ("hoth.working_days.counting",)
    forbidden = sorted(
        target for target in imports(path)
        if target.split(".")[0] == "django"
        or (target.split(".")[0] == "hoth" and target != "hoth" and not target.startswith(allowed)
            and target not in PURE_MODULES))
    assert not forbidden, f"{name} imports {forbidden}"


def test_the_import_reader_sees_relative_and_deferred_imports():
    probe = HOTH / "analytics" / "disruption.py"
    assert "hoth.analytics.screening" in imports(probe)
    assert "hoth.working_days.counting" in imports(HOTH / "cases" / "nrm.py")
    # A deferred import inside a function counts.
    assert "hoth.notifications.services" in imports(HOTH / "audit" / "jobs.py")
