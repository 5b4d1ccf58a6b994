"""Scoring the exploitation screening tool: answers in, a level and its reasons out.

Pure Python so the same rules serve the screening pages, the pre-screening API
and the tests, and so an old screening can be re-explained from the tool
version it was scored with.

A tool definition is a JSON-safe dict::

    {"version": "2026.1", "name": "...",
     "thresholds": {"low": 4, "medium": 10, "high": 20},   # strictly increasing, > 0
     "earlier_factor": 0.5,        # share of the weight an indicator seen only more than six months ago carries
     "domains": [{"code", "name", "indicators": [
         {"code", "text", "hint", "tier": "vulnerability" | "risk" | "significant",
          "weight": >= 0, "harm_types": [harm type codes], "required": bool}]}],
     "rules": [
         {"code": "disclosure_is_high", "indicators": [codes], "at_least": "high"},
         {"code": "young_child_significant", "max_age": 13, "at_least": "medium"},
         {"code": "protected_child_not_low", "under_age": 13, "learning_disability": true, "at_least": "medium"}]}

How a level is reached, and why it is safe:
- each indicator answered present adds its weight (times earlier_factor when it
  was seen only earlier); not present and unknown add nothing;
- the score against the thresholds gives the scored level;
- override rules can only RAISE that level, and each depends only on which
  indicators are present and on facts about the child.
Weights are never negative and every rule's condition only grows with the set of
present indicators, so marking one more indicator present can never lower the
level, and an unknown can never raise it.
"""

from __future__ import annotations

import math
from collections.abc import Container, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TypeGuard

LEVELS = ("none", "low", "medium", "high")
LEVEL_LABELS = {"none": "No current concern", "low": "Low", "medium": "Medium (emerging)", "high": "High (significant)"}
# Short names read better inside a sentence ("Medium because ...").
LEVEL_WORDS = {"none": "No current concern", "low": "Low", "medium": "Medium", "high": "High"}
THRESHOLD_LEVELS = ("low", "medium", "high")

TIERS = ("vulnerability", "risk", "significant")
TIER_LABELS = {"vulnerability": "Vulnerability", "risk": "Risk indicator", "significant": "Significant risk indicator"}

STATES = ("present", "not_present", "unknown")
WHENS = ("current", "earlier")

RULE_CODES = ("disclosure_is_high", "young_child_significant", "protected_child_not_low")
RULE_NAMES = {
    "disclosure_is_high": "a disclosure of exploitation is High",
    "young_child_significant": "a child aged {max_age} or under with a significant risk indicator "
    "is at least {at_least}",
    "protected_child_not_low": "a child under {under_age}{or_ld} is never No current concern or Low "
    "where a significant risk indicator is present",
}


@dataclass(frozen=True)
class Answer:
    state: str
    when: str = "current"


@dataclass(frozen=True)
class Child:
    age: int | None
    learning_disability: bool = False


@dataclass(frozen=True)
class Counted:
    """An indicator answered present, and what it added to the score."""

    indicator: str
    text: str
    domain: str
    tier: str
    weight: float
    when: str
    points: float
    domain_name: str = ""
    tier_label: str = ""


@dataclass(frozen=True)
class RuleApplied:
    """An override rule whose condition held. `raised` is True when it, and not
    the score, is what put the level where it is."""

    code: str
    description: str
    level: str
    raised: bool = False


@dataclass(frozen=True)
class Result:
    level: str
    score: float
    scored_level: str
    counted: tuple[Counted, ...]
    rules: tuple[RuleApplied, ...]
    deciding: str
    unanswered_required: tuple[str, ...]
    tool_version: str = ""
    thresholds: Mapping[str, float] = field(default_factory=dict)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]

    def as_dict(self) -> dict[str, Any]:
        return {
            "tool_version": self.tool_version,
            "level": self.level,
            "level_label": LEVEL_LABELS[self.level],
            "score": self.score,
            "scored_level": self.scored_level,
            "scored_level_label": LEVEL_LABELS[self.scored_level],
            "thresholds": dict(self.thresholds),
            "counted": [asdict(c) for c in self.counted],
            "rules": [asdict(r) for r in self.rules],
            "deciding": self.deciding,
            "unanswered_required": list(self.unanswered_required),
        }


def rank(level: str) -> int:
    return LEVELS.index(level)


def higher(a: str, b: str) -> str:
    return a if rank(a) >= rank(b) else b


def format_number(value: float) -> str:
    """14.0 -> "14", 2.5 -> "2.5": scores are shown to practitioners."""
    value = round(float(value), 4)
    return f"{value:g}"


# --- the tool definition -------------------------------------------------------------------------


def indicators(definition: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every indicator in the tool, in order, each a copy with "domain" and "domain_name"."""
    flat = []
    for domain in definition.get("domains", ()):
        for indicator in domain.get("indicators", ()):
            flat.append({**indicator, "domain": domain.get("code"), "domain_name": domain.get("name", "")})
    return flat


def required_indicators(definition: Mapping[str, Any]) -> list[str]:
    return [i["code"] for i in indicators(definition) if i.get("required")]


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_tool(definition: object, harm_types: Container[str] | None = None) -> list[str]:
    """Everything wrong with a tool definition, as sentences an administrator can
    act on; [] when it is valid. `harm_types`, when given, is the set of harm
    type codes an indicator may name."""
    if not isinstance(definition, Mapping):
        return ["The tool must be a JSON object"]
    problems = []
    version = definition.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.append('Enter the tool\'s version as text, for example "2026.2"')
    elif len(version) > 20:
        problems.append("The version must be 20 characters or fewer")
    name = definition.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("Enter the tool's name")
    elif len(name) > 200:
        problems.append("The tool's name must be 200 characters or fewer")

    problems += _threshold_problems(definition.get("thresholds"))

    factor = definition.get("earlier_factor", 0.5)
    if not _is_number(factor) or not 0 <= factor <= 1:
        problems.append("earlier_factor must be a number from 0 to 1")

    codes: set[str] = set()
    domains = definition.get("domains")
    if not isinstance(domains, list) or not domains:
        problems.append("The tool must have at least one domain")
        domains = []
    domain_codes = set()
    for d_index, domain in enumerate(domains, start=1):
        if not isinstance(domain, Mapping):
            problems.append(f"Domain {d_index} must be a JSON object")
            continue
        d_code = domain.get("code")
        d_label = f"Domain {d_code!r}" if isinstance(d_code, str) and d_code else f"Domain {d_index}"
        if not isinstance(d_code, str) or not d_code.strip():
            problems.append(f"Domain {d_index} has no code")
        elif d_code in domain_codes:
            problems.append(f"Domain code {d_code!r} is used more than once")
        else:
            domain_codes.add(d_code)
        if not isinstance(domain.get("name"), str) or not domain.get("name", "").strip():
            problems.append(f"{d_label} has no name")
        items = domain.get("indicators")
        if not isinstance(items, list) or not items:
            problems.append(f"{d_label} has no indicators")
            continue
        for i_index, indicator in enumerate(items, start=1):
            problems += _indicator_problems(indicator, f"{d_label}, indicator {i_index}", codes, harm_types)

    rules = definition.get("rules", [])
    if not isinstance(rules, list):
        problems.append("rules must be a list")
        rules = []
    seen_rules: set[str] = set()
    for r_index, rule in enumerate(rules, start=1):
        problems += _rule_problems(rule, r_index, codes, seen_rules)
    return problems


def _threshold_problems(thresholds: object) -> list[str]:
    if not isinstance(thresholds, Mapping):
        return ["thresholds must give a score for low, medium and high"]
    problems = []
    values: list[float] = []
    for level in THRESHOLD_LEVELS:
        value = thresholds.get(level)
        if not _is_number(value) or value <= 0:
            problems.append(f"The {level} threshold must be a number greater than 0")
        else:
            values.append(value)
    unknown = sorted(set(thresholds) - set(THRESHOLD_LEVELS))
    if unknown:
        problems.append(f"Unknown threshold {', '.join(map(str, unknown))}: use low, medium and high")
    if len(values) == 3 and not values[0] < values[1] < values[2]:
        given = ", ".join(format_number(v) for v in values)
        problems.append(f"Thresholds must increase: low below medium, medium below high (they are {given})")
    return problems


def _indicator_problems(indicator: object, label: str, codes: set[str], harm_types: Container[str] | None) -> list[str]:
    if not isinstance(indicator, Mapping):
        return [f"{label} must be a JSON object"]
    problems = []
    code = indicator.get("code")
    if isinstance(code, str) and code.strip():
        label = f"Indicator {code!r}"
        if code in codes:
            problems.append(f"Indicator code {code!r} is used more than once")
        codes.add(code)
        if len(code) > 60:
            problems.append(f"{label}: the code must be 60 characters or fewer")
    else:
        problems.append(f"{label} has no code")
    if not isinstance(indicator.get("text"), str) or not indicator.get("text", "").strip():
        problems.append(f"{label} has no text")
    tier = indicator.get("tier")
    if tier not in TIERS:
        problems.append(f"{label} has unknown tier {tier!r}: use {', '.join(TIERS)}")
    weight = indicator.get("weight")
    if not _is_number(weight):
        problems.append(f"{label}: the weight must be a number")
    elif weight < 0:
        problems.append(f"{label}: the weight must not be negative (it is {format_number(weight)})")
    kinds = indicator.get("harm_types", [])
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        problems.append(f"{label}: harm_types must be a list of harm type codes")
    elif harm_types is not None:
        unknown = [k for k in kinds if k not in harm_types]
        if unknown:
            problems.append(f"{label} names unknown harm type {', '.join(repr(k) for k in unknown)}")
    if "required" in indicator and not isinstance(indicator["required"], bool):
        problems.append(f"{label}: required must be true or false")
    return problems


def _rule_problems(rule: object, index: int, codes: set[str], seen: set[str]) -> list[str]:
    if not isinstance(rule, Mapping):
        return [f"Rule {index} must be a JSON object"]
    code = rule.get("code")
    if code not in RULE_CODES:
        return [f"Rule {index} has unknown code {code!r}: use {', '.join(RULE_CODES)}"]
    problems = []
    if code in seen:
        problems.append(f"Rule {code!r} is given more than once")
    seen.add(code)
    at_least = rule.get("at_least", "high" if code == "disclosure_is_high" else None)
    if at_least not in LEVELS[1:]:
        problems.append(f"Rule {code!r}: at_least must be one of low, medium, high")
    if code == "disclosure_is_high":
        named = rule.get("indicators")
        if not isinstance(named, list) or not named:
            problems.append(f"Rule {code!r} must name the disclosure indicators")
        else:
            for unknown in (n for n in named if n not in codes):
                problems.append(f"Rule {code!r} names unknown indicator {unknown!r}")
    elif code == "young_child_significant":
        if not _is_int(rule.get("max_age")) or not 0 <= rule["max_age"] <= 18:
            problems.append(f"Rule {code!r}: max_age must be a whole number of years from 0 to 18")
    elif code == "protected_child_not_low":
        if not _is_int(rule.get("under_age")) or not 0 <= rule["under_age"] <= 18:
            problems.append(f"Rule {code!r}: under_age must be a whole number of years from 0 to 18")
        if not isinstance(rule.get("learning_disability", False), bool):
            problems.append(f"Rule {code!r}: learning_disability must be true or false")
    return problems


# --- answers -------------------------------------------------------------------------------------


def answer_problems(definition: Mapping[str, Any], answers: Mapping[str, Answer]) -> list[tuple[str, str]]:
    """(indicator code, message) for each answer the tool cannot score: an
    unknown indicator, a state or a when that is not one of the choices."""
    known = {i["code"] for i in indicators(definition)}
    problems = []
    for code, answer in answers.items():
        if code not in known:
            problems.append((code, f"{code!r} is not an indicator in tool version {definition.get('version')}"))
            continue
        state = getattr(answer, "state", None)
        when = getattr(answer, "when", None)
        if state not in STATES:
            problems.append((code, f"State must be one of {', '.join(STATES)}"))
        if when not in WHENS:
            problems.append((code, f"When must be one of {', '.join(WHENS)}"))
    return problems


def unanswered_required(definition: Mapping[str, Any], answers: Container[str]) -> tuple[str, ...]:
    """Required indicators with no answer at all ("unknown" is an answer)."""
    return tuple(code for code in required_indicators(definition) if code not in answers)


# --- scoring -------------------------------------------------------------------------------------


def level_for_score(thresholds: Mapping[str, float], value: float) -> str:
    level = "none"
    for candidate in THRESHOLD_LEVELS:
        if value >= thresholds[candidate]:
            level = candidate
    return level


def score(definition: Mapping[str, Any], answers: Mapping[str, Answer], child: Child) -> Result:
    """The level the tool gives for `answers` (indicator code -> Answer) about
    `child`, with every reason. Raises ValueError for answers the tool cannot
    score (see answer_problems); a missing required answer does not stop
    scoring but is reported in `unanswered_required`."""
    problems = answer_problems(definition, answers)
    if problems:
        raise ValueError("; ".join(message for _, message in problems))
    thresholds = {level: definition["thresholds"][level] for level in THRESHOLD_LEVELS}
    factor = definition.get("earlier_factor", 0.5)

    counted = []
    for indicator in indicators(definition):
        answer = answers.get(indicator["code"])
        if answer is None or answer.state != "present":
            continue
        weight = indicator["weight"]
        points = weight * factor if answer.when == "earlier" else weight
        counted.append(
            Counted(
                indicator=indicator["code"],
                text=indicator["text"],
                domain=indicator["domain"],
                tier=indicator["tier"],
                weight=weight,
                when=answer.when,
                points=points,
                domain_name=indicator["domain_name"],
                tier_label=TIER_LABELS[indicator["tier"]],
            )
        )
    total = sum(c.points for c in counted)
    scored_level = level_for_score(thresholds, total)

    held = _rules_that_hold(definition, counted, child)
    level = scored_level
    for _, rule_level, *_ in held:
        level = higher(level, rule_level)
    rules = tuple(
        RuleApplied(
            code=code,
            description=description,
            level=rule_level,
            raised=rank(rule_level) > rank(scored_level) and rule_level == level,
        )
        for code, rule_level, description, *_ in held
    )
    deciding_rule = next((h for h in held if rank(h[1]) > rank(scored_level) and h[1] == level), None)
    return Result(
        level=level,
        score=total,
        scored_level=scored_level,
        counted=tuple(counted),
        rules=rules,
        deciding=_deciding(level, scored_level, total, thresholds, deciding_rule, counted),
        unanswered_required=unanswered_required(definition, answers),
        tool_version=str(definition.get("version", "")),
        thresholds=thresholds,
    )


# (code, level, description, because, rule in short): an override rule whose condition holds.
_HeldRule = tuple[str, str, str, str, str]


def _rules_that_hold(definition: Mapping[str, Any], counted: Sequence[Counted], child: Child) -> list[_HeldRule]:
    """(code, level, description, because, rule in short) for each override rule whose condition holds.
    Every condition depends only on present indicators (whenever seen: an old
    disclosure is still a disclosure) and on the child, never on unknowns."""
    present = {c.indicator: c for c in counted}
    significant = [c for c in counted if c.tier == "significant"]
    held = []
    for rule in definition.get("rules", ()):
        code = rule["code"]
        if code == "disclosure_is_high":
            at_least = rule.get("at_least", "high")
            named = [present[n] for n in rule["indicators"] if n in present]
            if named:
                texts = "; ".join(f'"{c.text}"' for c in named)
                held.append(
                    (
                        code,
                        at_least,
                        f"A disclosure of exploitation was recorded ({texts}): "
                        f"the rule is that a disclosure is {LEVEL_WORDS[at_least]}.",
                        "a disclosure of exploitation was recorded",
                        f"disclosure is {LEVEL_WORDS[at_least]}",
                    )
                )
        elif code == "young_child_significant":
            max_age = rule["max_age"]
            at_least = rule["at_least"]
            if significant and child.age is not None and child.age <= max_age:
                held.append(
                    (
                        code,
                        at_least,
                        f"The child is {child.age}, aged {max_age} or under, with a significant risk "
                        f"indicator present ({_names(significant)}): the rule is that such a child is at "
                        f"least {LEVEL_WORDS[at_least]}.",
                        f"the child is {child.age} and a significant risk indicator is present",
                        f"a child aged {max_age} or under with a significant indicator is at least "
                        f"{LEVEL_WORDS[at_least]}",
                    )
                )
        elif code == "protected_child_not_low":
            under_age = rule["under_age"]
            at_least = rule["at_least"]
            young = child.age is not None and child.age < under_age
            disabled = bool(rule.get("learning_disability", False)) and child.learning_disability
            if significant and (young or disabled):
                who = []
                if young:
                    who.append(f"is {child.age}, under {under_age}")
                if disabled:
                    who.append("has a learning disability")
                held.append(
                    (
                        code,
                        at_least,
                        f"The child {' and '.join(who)}, with a significant risk indicator present "
                        f"({_names(significant)}): the rule is that such a child is never "
                        f"No current concern or Low, so at least {LEVEL_WORDS[at_least]}.",
                        f"the child {' and '.join(who)} and a significant risk indicator is present",
                        f"a child under {under_age}"
                        + (" or with a learning disability" if rule.get("learning_disability") else "")
                        + " is never No current concern or Low where a significant indicator is present",
                    )
                )
    return held


def _names(counted: Sequence[Counted]) -> str:
    return "; ".join(f'"{c.text}"' for c in counted)


def rule_name(rule: Mapping[str, Any]) -> str:
    """The rule as a practitioner would say it, e.g. "a disclosure of exploitation is High"."""
    code = rule["code"]
    at_least = LEVEL_WORDS.get(rule.get("at_least", "high" if code == "disclosure_is_high" else "medium"), "")
    or_ld = " or with a learning disability" if rule.get("learning_disability") else ""
    return RULE_NAMES[code].format(
        max_age=rule.get("max_age", ""), under_age=rule.get("under_age", ""), at_least=at_least, or_ld=or_ld
    )


def _deciding(
    level: str,
    scored_level: str,
    total: float,
    thresholds: Mapping[str, float],
    deciding_rule: _HeldRule | None,
    counted: Sequence[Counted],
) -> str:
    """One sentence: what put the level where it is (the first rule that raised
    it, else the score against the thresholds)."""
    word = LEVEL_WORDS[level]
    if deciding_rule:
        _, _, _, because, short = deciding_rule
        return (
            f"{word} because {because} (rule: {short}); the score {format_number(total)} alone "
            f"gave {LEVEL_WORDS[scored_level]}."
        )
    if level == "none":
        if not counted:
            return "No current concern because no indicator was recorded as present (score 0)."
        return (
            f"No current concern because the score {format_number(total)} is below the Low threshold "
            f"of {format_number(thresholds['low'])}."
        )
    sentence = (
        f"{word} because the score {format_number(total)} reaches the {word} threshold of "
        f"{format_number(thresholds[level])}"
    )
    if level != "high":
        following = THRESHOLD_LEVELS[THRESHOLD_LEVELS.index(level) + 1]
        sentence += f" (below the {LEVEL_WORDS[following]} threshold of {format_number(thresholds[following])})"
    return sentence + "."


# --- professional judgement ----------------------------------------------------------------------


def judged_level(scored: str, judgement: str | None) -> tuple[str, bool]:
    """(the level that stands, whether a manager must approve).

    Judgement may raise the level at once; a lower judgement needs a manager's
    approval, and until it is given the scored level stands."""
    if scored not in LEVELS:
        raise ValueError(f"Unknown level {scored!r}")
    if not judgement or judgement == scored:
        return scored, False
    if judgement not in LEVELS:
        raise ValueError(f"Unknown level {judgement!r}")
    if rank(judgement) > rank(scored):
        return judgement, False
    return scored, True
