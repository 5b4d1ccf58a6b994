"""The screening tool's scoring rules, as a specification.

A small tool with round weights makes each boundary easy to read; the shipped
fixture is checked separately (it must validate and obey the same properties).
"""

import copy
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoth.analytics.screening import (
    LEVELS,
    Answer,
    Child,
    indicators,
    judged_level,
    rank,
    score,
    validate_tool,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "hoth" / "screening" / "fixtures" / "screening_tool_2026.1.json"
HARM_TYPES = {row["code"] for row in json.loads((ROOT / "hoth/referrals/fixtures/harm_types.json").read_text())}

TOOL = {
    "version": "test.1",
    "name": "Test tool",
    "thresholds": {"low": 4, "medium": 10, "high": 20},
    "earlier_factor": 0.5,
    "domains": [
        {
            "code": "missing",
            "name": "Missing",
            "indicators": [
                {
                    "code": "missing_repeat",
                    "text": "Repeated missing episodes",
                    "tier": "significant",
                    "weight": 6,
                    "harm_types": ["cse", "cce"],
                    "required": True,
                },
                {"code": "missing_once", "text": "Missing once", "tier": "risk", "weight": 4, "harm_types": ["cce"]},
            ],
        },
        {
            "code": "health",
            "name": "Health",
            "indicators": [
                {"code": "injuries", "text": "Unexplained injuries", "tier": "risk", "weight": 4, "harm_types": []},
                {"code": "substance", "text": "Drug or alcohol misuse", "tier": "risk", "weight": 2, "harm_types": []},
                {"code": "bereavement", "text": "Bereavement", "tier": "vulnerability", "weight": 1, "harm_types": []},
                {"code": "sti", "text": "Recurring infections", "tier": "significant", "weight": 3, "harm_types": []},
            ],
        },
        {
            "code": "disclosure",
            "name": "Disclosure",
            "indicators": [
                {
                    "code": "disclosure",
                    "text": "Disclosed exploitation",
                    "tier": "significant",
                    "weight": 5,
                    "harm_types": ["cse"],
                    "required": True,
                },
            ],
        },
    ],
    "rules": [
        {"code": "disclosure_is_high", "indicators": ["disclosure"]},
        {"code": "young_child_significant", "max_age": 13, "at_least": "medium"},
        {"code": "protected_child_not_low", "under_age": 13, "learning_disability": True, "at_least": "medium"},
    ],
}
CODES = [i["code"] for i in indicators(TOOL)]
NONE_PRESENT = {"missing_repeat": Answer("not_present"), "disclosure": Answer("not_present")}
ADULTISH = Child(age=15)


def present(*codes, when="current", **extra):
    answers = dict(NONE_PRESENT)
    answers.update({code: Answer("present", when) for code in codes})
    answers.update(extra)
    return answers


def tool(**changes):
    definition = copy.deepcopy(TOOL)
    definition.update(changes)
    return definition


# ------------------------------------------------------------------ the score


def test_nothing_present_is_no_current_concern_with_score_zero():
    result = score(TOOL, NONE_PRESENT, ADULTISH)
    assert (result.level, result.score, result.counted, result.rules) == ("none", 0, (), ())
    assert result.deciding == "No current concern because no indicator was recorded as present (score 0)."


def test_each_present_indicator_adds_its_weight():
    result = score(TOOL, present("missing_once", "substance", "bereavement"), ADULTISH)
    assert result.score == 4 + 2 + 1
    assert [(c.indicator, c.weight, c.points) for c in result.counted] == [
        ("missing_once", 4, 4),
        ("substance", 2, 2),
        ("bereavement", 1, 1),
    ]


def test_not_present_and_unknown_add_nothing():
    answers = present("missing_once", injuries=Answer("unknown"), substance=Answer("not_present"))
    assert score(TOOL, answers, ADULTISH).score == 4


def test_an_indicator_seen_only_earlier_counts_at_the_earlier_factor():
    result = score(TOOL, present("missing_once", when="earlier"), ADULTISH)
    assert result.score == 2
    assert result.counted[0].when == "earlier" and result.counted[0].points == 2 and result.counted[0].weight == 4


def test_earlier_factor_comes_from_the_tool():
    result = score(tool(earlier_factor=0.25), present("missing_once", when="earlier"), ADULTISH)
    assert result.score == 1


def test_counted_indicators_name_their_domain_and_tier():
    counted = score(TOOL, present("sti"), ADULTISH).counted[0]
    assert (counted.domain, counted.domain_name, counted.tier, counted.tier_label, counted.text) == (
        "health",
        "Health",
        "significant",
        "Significant risk indicator",
        "Recurring infections",
    )


# ------------------------------------------------------------------ thresholds


@pytest.mark.parametrize(
    "codes, total, level",
    [
        ((), 0, "none"),
        (("bereavement", "substance"), 3, "none"),  # just below Low
        (("missing_once",), 4, "low"),  # exactly Low
        (("missing_once", "injuries", "bereavement"), 9, "low"),  # just below Medium
        (("missing_once", "injuries", "substance"), 10, "medium"),  # exactly Medium
        (("missing_once", "injuries", "substance", "missing_repeat", "sti"), 19, "medium"),  # just below High
        (("missing_once", "injuries", "substance", "missing_repeat", "sti", "bereavement"), 20, "high"),  # exactly High
    ],
)
def test_thresholds_are_reached_at_their_exact_score(codes, total, level):
    result = score(TOOL, present(*codes), ADULTISH)
    assert (result.score, result.scored_level, result.level) == (total, level, level)
    assert result.rules == ()


def test_half_points_below_a_threshold_do_not_reach_it():
    # 4 + 4 + 1.5 (recurring infections, seen only earlier) = 9.5
    answers = present("missing_once", "injuries", sti=Answer("present", "earlier"))
    result = score(TOOL, answers, ADULTISH)
    assert (result.score, result.level) == (9.5, "low")


def test_deciding_names_the_threshold_reached():
    result = score(TOOL, present("missing_once", "injuries", "substance"), ADULTISH)
    assert result.deciding == (
        "Medium because the score 10 reaches the Medium threshold of 10 (below the High threshold of 20)."
    )


def test_deciding_says_a_low_score_is_below_the_low_threshold():
    result = score(TOOL, present("substance"), ADULTISH)
    assert result.deciding == "No current concern because the score 2 is below the Low threshold of 4."


# ------------------------------------------------------------------ override: disclosure


def test_a_disclosure_is_high_whatever_the_score():
    result = score(TOOL, present("disclosure"), ADULTISH)
    assert (result.score, result.scored_level, result.level) == (5, "low", "high")
    assert [(r.code, r.level, r.raised) for r in result.rules] == [("disclosure_is_high", "high", True)]
    assert result.deciding.startswith(
        "High because a disclosure of exploitation was recorded (rule: disclosure is High)"
    )


def test_an_earlier_disclosure_is_still_a_disclosure():
    assert score(TOOL, present("disclosure", when="earlier"), ADULTISH).level == "high"


def test_an_unknown_disclosure_does_not_make_the_level_high():
    answers = present(disclosure=Answer("unknown"))
    assert score(TOOL, answers, ADULTISH).level == "none"


def test_a_disclosure_with_a_high_score_is_decided_by_the_score_and_lists_the_rule():
    codes = ("missing_once", "injuries", "substance", "missing_repeat", "sti", "disclosure")
    result = score(TOOL, present(*codes), ADULTISH)
    assert result.scored_level == "high"
    assert [(r.code, r.raised) for r in result.rules] == [("disclosure_is_high", False)]
    assert result.deciding.startswith("High because the score 24 reaches the High threshold of 20")


# ------------------------------------------------------------------ override: young child


@pytest.mark.parametrize("age, level", [(12, "medium"), (13, "medium"), (14, "low")])
def test_a_child_aged_13_or_under_with_a_significant_indicator_is_at_least_medium(age, level):
    result = score(TOOL, present("missing_repeat"), Child(age=age))
    assert result.scored_level == "low"
    assert result.level == level


def test_the_young_child_rule_is_named_with_the_childs_age():
    result = score(TOOL, present("missing_repeat"), Child(age=13))
    assert [r.code for r in result.rules] == ["young_child_significant"]
    assert result.deciding.startswith(
        "Medium because the child is 13 and a significant risk indicator is present "
        "(rule: a child aged 13 or under with a significant indicator is at least "
        "Medium)"
    )


def test_a_young_child_with_only_risk_indicators_is_scored_normally():
    result = score(TOOL, present("missing_once"), Child(age=11))
    assert (result.level, result.rules) == ("low", ())


def test_a_young_child_with_a_significant_indicator_seen_only_earlier_is_still_at_least_medium():
    result = score(TOOL, present("sti", when="earlier"), Child(age=12))
    assert (result.score, result.scored_level, result.level) == (1.5, "none", "medium")


def test_the_young_child_rule_never_lowers_a_high_score():
    codes = ("missing_once", "injuries", "substance", "missing_repeat", "sti", "bereavement")
    assert score(TOOL, present(*codes), Child(age=10)).level == "high"


def test_an_unknown_age_does_not_trigger_the_age_rules():
    result = score(TOOL, present("missing_repeat"), Child(age=None))
    assert (result.level, result.rules) == ("low", ())


# ------------------------------------------------------------------ override: protected child


@pytest.mark.parametrize(
    "age, rules",
    [
        (12, ["young_child_significant", "protected_child_not_low"]),
        (13, ["young_child_significant"]),
        (14, []),
    ],
)
def test_the_protected_child_rule_is_for_children_under_13(age, rules):
    result = score(TOOL, present("sti"), Child(age=age))
    assert [r.code for r in result.rules] == rules


def test_a_child_with_a_learning_disability_and_a_significant_indicator_is_never_none_or_low():
    result = score(TOOL, present("sti"), Child(age=16, learning_disability=True))
    assert (result.scored_level, result.level) == ("none", "medium")
    assert [r.code for r in result.rules] == ["protected_child_not_low"]
    assert "has a learning disability" in result.rules[0].description
    assert result.deciding.startswith("Medium because the child has a learning disability")


def test_a_learning_disability_without_a_significant_indicator_changes_nothing():
    result = score(TOOL, present("missing_once"), Child(age=16, learning_disability=True))
    assert (result.level, result.rules) == ("low", ())


def test_the_protected_child_rule_only_counts_learning_disability_when_the_tool_says_so():
    rules = [
        r if r["code"] != "protected_child_not_low" else {**r, "learning_disability": False} for r in TOOL["rules"]
    ]
    result = score(tool(rules=rules), present("sti"), Child(age=16, learning_disability=True))
    assert result.level == "none"


def test_a_tool_without_rules_gives_the_scored_level():
    assert score(tool(rules=[]), present("disclosure"), Child(age=10)).level == "low"


# ------------------------------------------------------------------ required indicators


def test_missing_required_answers_are_reported_and_scoring_still_works():
    result = score(TOOL, {"missing_once": Answer("present")}, ADULTISH)
    assert result.unanswered_required == ("missing_repeat", "disclosure")
    assert result.level == "low"


def test_unknown_is_an_answer_to_a_required_indicator():
    answers = {"missing_repeat": Answer("unknown"), "disclosure": Answer("unknown")}
    assert score(TOOL, answers, ADULTISH).unanswered_required == ()


def test_answers_the_tool_cannot_score_are_refused():
    with pytest.raises(ValueError, match="'nope' is not an indicator"):
        score(TOOL, present(nope=Answer("present")), ADULTISH)
    with pytest.raises(ValueError, match="State must be one of"):
        score(TOOL, present(injuries=Answer("yes")), ADULTISH)
    with pytest.raises(ValueError, match="When must be one of"):
        score(TOOL, present(injuries=Answer("present", "last year")), ADULTISH)


# ------------------------------------------------------------------ the explanation


def test_as_dict_is_json_safe_and_complete():
    result = score(TOOL, {"disclosure": Answer("present"), "substance": Answer("present")}, Child(age=12))
    data = json.loads(json.dumps(result.as_dict()))
    assert data["level"] == "high" and data["level_label"] == "High (significant)"
    assert data["scored_level"] == "low" and data["score"] == 7 and data["tool_version"] == "test.1"
    assert [c["indicator"] for c in data["counted"]] == ["substance", "disclosure"]
    assert {r["code"] for r in data["rules"]} == {
        "disclosure_is_high",
        "young_child_significant",
        "protected_child_not_low",
    }
    assert data["deciding"] == result.deciding
    assert data["unanswered_required"] == ["missing_repeat"]
    assert data["thresholds"] == {"low": 4, "medium": 10, "high": 20}


def test_only_the_rule_that_set_the_level_is_marked_as_raising_it():
    result = score(TOOL, present("disclosure"), Child(age=12))
    assert {r.code: r.raised for r in result.rules} == {
        "disclosure_is_high": True,
        "young_child_significant": False,
        "protected_child_not_low": False,
    }


# ------------------------------------------------------------------ judgement


@pytest.mark.parametrize(
    "scored, judgement, expected",
    [
        ("low", None, ("low", False)),
        ("low", "", ("low", False)),
        ("low", "low", ("low", False)),
        ("low", "high", ("high", False)),
        ("none", "medium", ("medium", False)),
        ("high", "medium", ("high", True)),
        ("medium", "none", ("medium", True)),
    ],
)
def test_judgement_raises_at_once_and_lowering_waits_for_approval(scored, judgement, expected):
    assert judged_level(scored, judgement) == expected


def test_judgement_refuses_unknown_levels():
    with pytest.raises(ValueError):
        judged_level("amber", None)
    with pytest.raises(ValueError):
        judged_level("low", "red")


# ------------------------------------------------------------------ validating a tool


def test_the_test_tool_is_valid():
    assert validate_tool(TOOL, HARM_TYPES) == []


def test_the_shipped_tool_validates_against_the_shipped_harm_types():
    definition = json.loads(FIXTURE.read_text())
    assert validate_tool(definition, HARM_TYPES) == []
    assert definition["version"] == "2026.1"
    assert 40 <= len(indicators(definition)) <= 50
    assert [d["code"] for d in definition["domains"]] == [
        "missing",
        "associates",
        "places",
        "online",
        "money",
        "health",
        "education",
        "behaviour",
        "vulnerabilities",
        "disclosure",
    ]
    assert {i["tier"] for i in indicators(definition)} == {"significant", "risk", "vulnerability"}
    required = {i["code"] for i in indicators(definition) if i.get("required")}
    assert {"disclosure_exploitation", "missing_repeat"} <= required


def test_the_shipped_tool_gives_high_for_a_disclosure_and_medium_for_a_young_child_in_cars():
    definition = json.loads(FIXTURE.read_text())
    required = {i["code"]: Answer("not_present") for i in indicators(definition) if i.get("required")}
    disclosed = score(definition, {**required, "disclosure_exploitation": Answer("present")}, Child(age=15))
    assert disclosed.level == "high"
    cars = score(definition, {**required, "places_cars": Answer("present")}, Child(age=12))
    assert (cars.scored_level, cars.level) == ("low", "medium")


def _problems(**changes):
    return validate_tool(tool(**changes), HARM_TYPES)


def _with_indicator(**fields):
    domains = copy.deepcopy(TOOL["domains"])
    domains[1]["indicators"][0].update(fields)
    return domains


def test_validation_catches_an_unknown_tier():
    assert _problems(domains=_with_indicator(tier="amber")) == [
        "Indicator 'injuries' has unknown tier 'amber': use vulnerability, risk, significant"
    ]


def test_validation_catches_duplicate_indicator_codes():
    assert _problems(domains=_with_indicator(code="missing_once")) == [
        "Indicator code 'missing_once' is used more than once"
    ]


def test_validation_catches_a_negative_weight():
    assert _problems(domains=_with_indicator(weight=-2)) == [
        "Indicator 'injuries': the weight must not be negative (it is -2)"
    ]


def test_validation_catches_a_weight_that_is_not_a_number():
    assert _problems(domains=_with_indicator(weight="4")) == ["Indicator 'injuries': the weight must be a number"]


@pytest.mark.parametrize(
    "thresholds",
    [
        {"low": 10, "medium": 10, "high": 20},
        {"low": 4, "medium": 30, "high": 20},
    ],
)
def test_validation_catches_thresholds_that_do_not_increase(thresholds):
    problems = _problems(thresholds=thresholds)
    assert len(problems) == 1 and problems[0].startswith("Thresholds must increase")


def test_validation_catches_a_missing_threshold():
    assert _problems(thresholds={"low": 4, "medium": 10}) == ["The high threshold must be a number greater than 0"]


def test_validation_catches_an_unknown_rule_code():
    rules = [*TOOL["rules"], {"code": "always_red"}]
    assert _problems(rules=rules) == [
        "Rule 4 has unknown code 'always_red': use disclosure_is_high, young_child_significant, protected_child_not_low"
    ]


def test_validation_catches_a_rule_naming_an_unknown_indicator():
    rules = [{"code": "disclosure_is_high", "indicators": ["disclosure", "told_teacher"]}, *TOOL["rules"][1:]]
    assert _problems(rules=rules) == ["Rule 'disclosure_is_high' names unknown indicator 'told_teacher'"]


def test_validation_catches_harm_types_not_in_the_supplied_set():
    assert _problems(domains=_with_indicator(harm_types=["cse", "gangs"])) == [
        "Indicator 'injuries' names unknown harm type 'gangs'"
    ]


def test_harm_types_are_only_checked_when_a_set_is_supplied():
    assert validate_tool(tool(domains=_with_indicator(harm_types=["gangs"]))) == []


def test_validation_lists_every_problem_at_once():
    definition = tool(
        version="",
        thresholds={"low": 5, "medium": 3, "high": 8},
        domains=_with_indicator(tier="x", weight=-1),
        rules=[{"code": "nope"}],
    )
    assert len(validate_tool(definition, HARM_TYPES)) == 5


def test_validation_refuses_something_that_is_not_a_tool():
    assert validate_tool([1, 2, 3]) == ["The tool must be a JSON object"]
    assert "The tool must have at least one domain" in validate_tool(
        {"version": "1", "name": "x", "thresholds": TOOL["thresholds"]}
    )


# ------------------------------------------------------------------ properties

STATES = st.sampled_from(["present", "not_present", "unknown"])
WHENS = st.sampled_from(["current", "earlier"])
ANSWER = st.builds(Answer, STATES, WHENS)
ANSWERS = st.dictionaries(st.sampled_from(CODES), ANSWER)
CHILD = st.builds(Child, st.one_of(st.none(), st.integers(min_value=0, max_value=18)), st.booleans())
SHIPPED = json.loads(FIXTURE.read_text())
SHIPPED_CODES = [i["code"] for i in indicators(SHIPPED)]
SHIPPED_ANSWERS = st.dictionaries(st.sampled_from(SHIPPED_CODES), ANSWER, max_size=45)
TOOLS = st.sampled_from([(TOOL, CODES, ANSWERS), (SHIPPED, SHIPPED_CODES, SHIPPED_ANSWERS)])


@settings(max_examples=300, deadline=None)
@given(data=st.data(), child=CHILD)
def test_marking_one_more_indicator_present_never_lowers_the_level(data, child):
    definition, codes, answers_strategy = data.draw(TOOLS)
    answers = data.draw(answers_strategy)
    code = data.draw(st.sampled_from(codes))
    if code in answers and answers[code].state == "present":
        return
    when = data.draw(WHENS)
    before = score(definition, answers, child)
    after = score(definition, {**answers, code: Answer("present", when)}, child)
    assert rank(after.level) >= rank(before.level)
    assert after.score >= before.score


@settings(max_examples=300, deadline=None)
@given(data=st.data(), child=CHILD)
def test_an_earlier_indicator_becoming_current_never_lowers_the_level(data, child):
    definition, codes, answers_strategy = data.draw(TOOLS)
    answers = data.draw(answers_strategy)
    code = data.draw(st.sampled_from(codes))
    before = score(definition, {**answers, code: Answer("present", "earlier")}, child)
    after = score(definition, {**answers, code: Answer("present", "current")}, child)
    assert rank(after.level) >= rank(before.level)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), child=CHILD)
def test_unknowns_never_raise_the_level(data, child):
    """An unknown scores as if the question had not been asked."""
    definition, codes, answers_strategy = data.draw(TOOLS)
    answers = data.draw(answers_strategy)
    known = {code: a for code, a in answers.items() if a.state != "unknown"}
    with_unknowns = score(definition, answers, child)
    without = score(definition, known, child)
    assert with_unknowns.level == without.level and with_unknowns.score == without.score


@settings(max_examples=300, deadline=None)
@given(data=st.data(), child=CHILD)
def test_changing_not_present_to_unknown_never_raises_the_level(data, child):
    definition, codes, answers_strategy = data.draw(TOOLS)
    answers = data.draw(answers_strategy)
    code = data.draw(st.sampled_from(codes))
    before = score(definition, {**answers, code: Answer("not_present")}, child)
    after = score(definition, {**answers, code: Answer("unknown")}, child)
    assert rank(after.level) <= rank(before.level)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), child=CHILD)
def test_the_explanation_adds_up_to_the_score(data, child):
    definition, codes, answers_strategy = data.draw(TOOLS)
    answers = data.draw(answers_strategy)
    result = score(definition, answers, child)
    assert math.isclose(sum(c.points for c in result.counted), result.score)
    assert {c.indicator for c in result.counted} == {code for code, a in answers.items() if a.state == "present"}
    # The level is the scored level or the highest rule that applied, never anything else.
    assert result.level == max([result.scored_level, *(r.level for r in result.rules)], key=rank)
    assert result.level in LEVELS and result.deciding.startswith(
        {"none": "No current concern", "low": "Low", "medium": "Medium", "high": "High"}[result.level] + " because"
    )


@settings(max_examples=200, deadline=None)
@given(scored=st.sampled_from(LEVELS), judgement=st.one_of(st.none(), st.sampled_from(LEVELS)))
def test_judgement_never_lowers_the_level_without_approval(scored, judgement):
    level, needs_approval = judged_level(scored, judgement)
    if not needs_approval:
        assert rank(level) >= rank(scored)
    else:
        assert level == scored and rank(judgement) < rank(scored)
