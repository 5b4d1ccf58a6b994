"""The gate's registry: every rule and scope beside its models, listed in one
table that the security model repeats, and start-up refusing a gap."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from hoth.access import checks, policy
from hoth.access.management.commands.access_rules import END, START, markdown
from tests.architecture.test_imports import HOTH, imports

SECURITY_MODEL = Path(__file__).resolve().parents[2] / "docs" / "security-model.md"


def test_the_security_model_lists_every_rule_and_scope_as_the_code_has_them():
    text = SECURITY_MODEL.read_text(encoding="utf-8")
    documented = text[text.index(START) : text.index(END) + len(END)]
    assert documented == markdown(), "run `manage.py access_rules --markdown` and paste it into docs/security-model.md"


def test_every_action_the_security_model_names_has_a_rule():
    nouns = {action.split(".")[0] for action in policy.RULES}
    named = set(re.findall(r"`([a-z_]+\.[a-z_]+)`", SECURITY_MODEL.read_text(encoding="utf-8")))
    unknown = sorted(
        name for name in named if name.split(".")[0] in nouns and name not in policy.RULES and not name.endswith(".py")
    )
    assert not unknown


def test_the_command_prints_every_rule_and_scope(capsys):
    call_command("access_rules")
    out = capsys.readouterr().out
    assert f"{len(policy.RULES)} rules, {len(policy.SCOPES)} scopes" in out
    assert all(action in out for action in policy.RULES)
    assert "screening.perform" in out and "Coordinators screen every referral" in out


def test_actions_are_named_noun_dot_verb_with_a_singular_noun():
    for action in policy.RULES:
        noun, _, verb = action.partition(".")
        assert re.fullmatch(r"[a-z_]+", noun) and re.fullmatch(r"[a-z_]+", verb), action
        assert not noun.endswith("s") or noun == "subject_access", f"{action}: name the noun in the singular"


def test_every_rule_and_scope_lives_in_an_apps_access_module():
    for entry in (*policy.RULES.values(), *policy.SCOPES.values()):
        assert re.fullmatch(r"hoth\.\w+\.access", entry.module), entry


def test_each_scope_lives_with_its_model():
    for label, scope in policy.SCOPES.items():
        assert scope.module == f"{apps.get_model(label)._meta.app_config.name}.access", label


def test_every_model_offering_visible_to_has_a_scope_and_start_up_says_when_not(monkeypatch):
    assert checks.every_scoped_model_has_a_scope(None) == []
    monkeypatch.delitem(policy.SCOPES, "cases.Case")
    errors = checks.every_scoped_model_has_a_scope(None)
    assert [e.id for e in errors] == ["access.E001"] and "cases.Case" in errors[0].msg


def test_start_up_refuses_an_action_no_rule_decides(monkeypatch):
    assert checks.every_action_asked_has_a_rule(None) == []
    monkeypatch.delitem(policy.RULES, "screening.perform")
    errors = checks.every_action_asked_has_a_rule(None)
    assert errors and {e.id for e in errors} == {"access.E003"}
    assert all("screening.perform" in e.msg for e in errors)


def test_the_source_reader_finds_actions_wherever_they_are_named():
    source = """
policy.check(user, "case.view", case)
can(user, "case.edit")
@allowed("task.list")
def page(request): ...
gate(GET=("person.search", "persons:read"))
job_kind("x", title="X", download_action="problem_profile.export")
def helper(request, action="missing_episode.view"): ...
log.record("user.create")
"""
    named = [name for node in ast.walk(ast.parse(source)) for name in checks._named_actions(node)]
    assert sorted(named) == sorted(
        ["case.view", "case.edit", "task.list", "person.search", "problem_profile.export", "missing_episode.view"]
    )


def test_an_action_without_a_rule_is_an_error_not_a_no():
    with pytest.raises(KeyError, match="no.such"):
        policy.can(None, "no.such")


def test_the_gate_imports_no_other_apps_models():
    for path in (HOTH / "access").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        models = sorted(
            target
            for target in imports(path)
            if re.match(r"hoth\.\w+\.models", target) and not target.startswith("hoth.access.")
        )
        assert not models, f"{path.name} imports {models}"


# Finders that answer differently on purpose: the person's record offers
# break-glass (403), and a panel item is found through its meeting's scope.
OWN_FINDERS = {"hoth/people/views/register.py:_visible_person", "hoth/disruption/views/activities.py:_agenda_item"}


def test_records_out_of_sight_are_refused_by_one_helper():
    """A view that scopes a query and raises its own 404 is a second answer
    to "exists, but not yours"; policy.find (or find_person) is the one."""
    by_hand = []
    for path in sorted(HOTH.rglob("*.py")):
        if "migrations" in path.parts or path.parent.name == "access":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                body = ast.unparse(node)
                where = f"{path.relative_to(HOTH.parent)}:{node.name}"
                if "visible_to(" in body and ("raise Http404" in body or "get_object_or_404" in body):
                    by_hand.append(where)
    assert sorted(by_hand) == sorted(OWN_FINDERS)
