"""The retention schedule: every model of the service is covered by a rule,
is part of a record a rule covers, or is exempt or holds no personal data,
with the reason written down; the published schedule is what the code can
apply; administrators' changes survive a reload."""

import json

import pytest
from django.apps import apps

from hoth.information_governance import reference, schedule
from hoth.information_governance.models import RetentionAction, RetentionRule
from hoth.information_governance.record_types import NoPersonalData, Part, Ruled, declarations

pytestmark = pytest.mark.django_db


def published():
    return {row["code"]: row for row in reference.published_schedule()["rules"]}


def test_a_model_with_personal_data_has_a_rule_or_is_exempt_with_a_reason():
    declared = declarations()
    missing = sorted(m._meta.label for m in apps.get_models() if m._meta.label not in declared)
    assert not missing, "say in the app's retention.py what the retention schedule does with: " + ", ".join(missing)
    for label, entries in declared.items():
        for entry in entries:
            if isinstance(entry, NoPersonalData):
                assert len(entry.reason) > 10, f"{label}: say why it holds no personal data"
                assert len(entries) == 1, f"{label}: holds no personal data, yet is also erased or ruled"


def test_every_rule_a_model_names_is_in_the_published_schedule():
    rules = published()
    for label, entries in declarations().items():
        for entry in entries:
            if isinstance(entry, Ruled):
                for code in entry.rules:
                    assert code in rules, f"{label} names rule {code!r}, which the schedule does not have"


def test_every_published_rule_is_one_the_code_applies_with_an_action_it_can_take():
    for code, row in published().items():
        assert code in schedule.KINDS, f"the schedule's {code!r} means nothing to the code"
        kind = schedule.KINDS[code]
        assert row["model"] == kind.model
        assert row["trigger"] in kind.triggers
        assert row["action"] in kind.actions
        assert row["basis"].strip()
        if row["action"] == RetentionAction.REVIEW:
            assert row["after_review"] in kind.actions and row["review_again_years"]
        # Only routine technical records are purged without the officer's approval.
        assert row["needs_approval"] == (not kind.routine and not kind.kept), code
    assert set(schedule.KINDS) == set(published())


def test_exempt_lines_say_why_and_include_the_audit_log_and_aggregate_snapshots():
    rules = published()
    for code in ("audit_log", "aggregate_snapshots", "staff_accounts", "retention_reviews"):
        assert rules[code]["action"] == RetentionAction.KEEP
        assert "Exempt" in rules[code]["basis"]
    assert rules["aggregate_snapshots"]["model"] == ""


def test_each_part_names_fields_and_paths_that_exist():
    from hoth.information_governance.record_types import OWNERS

    for label, entries in declarations().items():
        model = apps.get_model(label)
        for entry in entries:
            if not isinstance(entry, Part):
                continue
            for name in entry.clear + entry.round + entry.replace:
                model._meta.get_field(name)
            owner = apps.get_model(OWNERS[entry.owner])
            if entry.where is None:
                # The lookup compiles against the owner's id.
                str(model._base_manager.filter(**{entry.path or "pk": 1}).query)
            assert owner is not None


def test_loading_adds_the_schedule_and_keeps_what_an_administrator_changed():
    summary = reference.load()
    assert "retention schedule 2026.1" in summary
    assert RetentionRule.objects.count() == len(published())
    notifications = RetentionRule.objects.get(code="notifications")
    notifications.period_years, notifications.version = 2, ""
    notifications.save()
    child = RetentionRule.objects.get(code="child")
    child.basis = "tampered"
    child.save()
    reference.load()
    assert RetentionRule.objects.get(code="notifications").period_years == 2
    assert RetentionRule.objects.get(code="child").basis == published()["child"]["basis"]


def test_the_trigger_reads_as_the_period_stands():
    reference.load()
    child = RetentionRule.objects.get(code="child")
    assert child.trigger_text == "The person's 25th birthday, and not before 6 years after their last case closed"
    assert RetentionRule.objects.get(code="api_idempotency").trigger_text == "24 hours after it was made"
    assert RetentionRule.objects.get(code="notifications").trigger_text == "1 year after it was made"
    assert json.dumps(RetentionRule.objects.get(code="audit_log").trigger_text) == '"None: kept"'
