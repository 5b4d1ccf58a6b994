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
PURE_MODULES = (
    "hoth.working_days.counting",
    "hoth.referrals.service_standard",
    "hoth.information_governance.deadlines",
)


def module_name(path):
    parts = path.relative_to(HOTH.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path):
    """Every module `path` imports, anywhere in it (inside functions too:
    an import deferred into a function is still a dependency)."""
    package = package_of(path)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = imported_from(node, package)
            found.add(target)
            # `from . import x` and `from hoth import pdf` name modules too.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def imported_from(node, package):
    """The module an `ast.ImportFrom` in `package` reads from."""
    if not node.level:
        return node.module
    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
    return f"{base}.{node.module}" if node.module else base


def package_of(path):
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


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
        target
        for target in imports(path)
        if target.split(".")[0] == "django"
        or (
            target.split(".")[0] == "hoth"
            and target != "hoth"
            and not target.startswith(allowed)
            and target not in PURE_MODULES
        )
    )
    assert not forbidden, f"{name} imports {forbidden}"


def import_graph():
    """Module -> the hoth modules it imports. `from hoth.cases import models`
    names both the package and the module; only names that are modules (a
    file or a package) become edges, so the symbols imported from a module
    point at the module itself."""
    modules = {module_name(path): path for path in sources()}

    def resolve(target):
        while target and target not in modules:
            target = target.rpartition(".")[0]
        return target

    return {
        name: {
            resolved
            for target in imports(path)
            if target.startswith("hoth.") and (resolved := resolve(target)) not in ("", "hoth", name)
        }
        for name, path in modules.items()
    }


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan),
    each a cycle of imports; a package's `__init__` importing its own
    submodules is a cycle too, and is reported like any other."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_hoth_has_no_import_cycle():
    """A cycle kept alive by imports deferred into functions is still a
    cycle: two modules that cannot be understood (or moved) one without the
    other. Deferred imports count, so hiding one does not pass."""
    assert cycles(import_graph()) == []


def test_every_module_imported_from_hoth_exists():
    """`from .minutes import x` in a module moved into a package points at
    nothing, and inside a function it fails only when the function runs."""
    modules = {module_name(path) for path in sources()}
    missing = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            target = imported_from(node, package_of(path))
            if target.startswith("hoth.") and target not in modules:
                missing.append(f"{module_name(path)}:{node.lineno} imports {target}")
    assert missing == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_reader_sees_relative_and_deferred_imports():
    probe = HOTH / "analytics" / "disruption.py"
    assert "hoth.analytics.screening" in imports(probe)
    assert "hoth.working_days.counting" in imports(HOTH / "cases" / "nrm.py")
    # A deferred import inside a function counts.
    assert "hoth.notifications.services" in imports(HOTH / "audit" / "jobs.py")


# Where an HTTP request is at home: pages, the API and the middleware around
# them. (`request` in information governance is a subject access request.)
REQUEST_HANDLERS = ("views", "api", "middleware", "decorators", "signals", "context_processors", "health", "navigation")
NOT_AN_HTTP_REQUEST = {
    "hoth.information_governance.access",
    "hoth.information_governance.erasure",
    "hoth.audit.context",
    "hoth.audit.log",
}


def test_services_take_an_audit_context_never_the_http_request():
    """A service is called from pages, the API, jobs and commands alike:
    it takes the acting user and an `audit` context (hoth.audit.context)."""
    taking = []
    for path in sources():
        name = module_name(path)
        if set(name.split(".")) & set(REQUEST_HANDLERS) or name in NOT_AN_HTTP_REQUEST or path.stem.endswith("views"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and "request" in [
                a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            ]:
                taking.append(f"{name}.{node.name}")
    assert taking == []
