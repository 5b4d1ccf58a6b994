"""Is this the same person? Score a candidate record against what a
practitioner typed, and say why in plain English.

A pipeline of small named comparisons in the manner of Splink: names (with
known variants, nicknames, swapped forenames and aliases), date of birth (at
whatever precision each side knows it), postcode, identifier and phone. Each
comparison returns a similarity from 0 to 1 and the reasons a person can read;
`score_candidate` weighs the comparisons for the fields that were searched on.

Pure Python: the Django side loads records and variant groups and passes them in.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import jellyfish

from .identifiers import normalise_postcode, postcode_district, postcode_sector

# Jaro-Winkler above this is a likely spelling difference (Smith/Smyth 0.89).
SIMILAR_NAME = 0.88
# How much each comparison counts when the practitioner searched on it.
WEIGHTS = {"name": 0.5, "date_of_birth": 0.3, "postcode": 0.15, "identifier": 0.5, "phone": 0.3}
# An identifier or phone number the person is known by is near-certain on its own.
STRONG_EVIDENCE_FLOOR = 0.9


class Precision:
    EXACT = "exact"
    MONTH = "month"
    YEAR = "year"
    ESTIMATED = "estimated"


@dataclass(frozen=True)
class SearchTerms:
    given_names: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    dob_precision: str = Precision.EXACT
    postcode: str = ""
    identifier: str = ""
    phone: str = ""


@dataclass(frozen=True)
class CandidateRecord:
    given_names: str
    family_name: str
    aliases: tuple[tuple[str, str], ...] = ()  # (name, kind label) pairs
    date_of_birth: date | None = None
    dob_precision: str = Precision.EXACT
    postcodes: tuple[str, ...] = ()
    identifier_match: bool = False
    phone_match: bool = False


@dataclass
class Comparison:
    similarity: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class MatchScore:
    score: float
    reasons: list[str]


class VariantIndex:
    """Given-name variant groups (Jonathan, Jon, Jonny...) looked up by name."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self._groups: dict[str, set[int]] = {}
        for number, names in enumerate(groups):
            for name in names:
                self._groups.setdefault(_clean(name), set()).add(number)

    def are_variants(self, a: str, b: str) -> bool:
        a, b = _clean(a), _clean(b)
        return a != b and bool(self._groups.get(a, set()) & self._groups.get(b, set()))

    def variants_of(self, name: str) -> set[str]:
        """Every name sharing a group with `name` (including itself)."""
        numbers = self._groups.get(_clean(name), set())
        return {n for n, groups in self._groups.items() if groups & numbers} | {_clean(name)}


def _clean(name: str | None) -> str:
    return "".join(ch for ch in (name or "").lower() if ch.isalpha() or ch in "-'").strip("-'")


def _title(name: str | None) -> str:
    return (name or "").strip().title()


def jaro_winkler(a: str, b: str) -> float:
    a, b = _clean(a), _clean(b)
    if not a or not b:
        return 0.0
    return jellyfish.jaro_winkler_similarity(a, b)


def split_name(text: str | None) -> tuple[str, str]:
    """'Jon  Smith' -> ('Jon', 'Smith'); a single word could be either name."""
    words = (text or "").split()
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0], ""
    return " ".join(words[:-1]), words[-1]


# ---------------------------------------------------------------- names


def compare_forename(typed: str, recorded: str, variants: VariantIndex) -> Comparison:
    if not typed or not recorded:
        return Comparison(0.0)
    if _clean(typed) == _clean(recorded):
        return Comparison(1.0, [f"same first name ({_title(recorded)})"])
    if variants.are_variants(typed, recorded):
        return Comparison(0.9, [f"'{_title(typed)}' is a known form of '{_title(recorded)}'"])
    similarity = jaro_winkler(typed, recorded)
    if similarity >= SIMILAR_NAME:
        return Comparison(similarity * 0.9, [f"first name '{_title(typed)}' is spelt like '{_title(recorded)}'"])
    if jellyfish.metaphone(_clean(typed)) == jellyfish.metaphone(_clean(recorded)):
        return Comparison(0.75, [f"first name '{_title(typed)}' sounds like '{_title(recorded)}'"])
    return Comparison(similarity * 0.5)


def compare_family_name(typed: str, recorded: str) -> Comparison:
    if not typed or not recorded:
        return Comparison(0.0)
    if _clean(typed) == _clean(recorded):
        return Comparison(1.0, [f"same family name ({_title(recorded)})"])
    similarity = jaro_winkler(typed, recorded)
    if similarity >= SIMILAR_NAME:
        return Comparison(similarity * 0.9, [f"family name '{_title(typed)}' is spelt like '{_title(recorded)}'"])
    if jellyfish.metaphone(_clean(typed)) == jellyfish.metaphone(_clean(recorded)):
        return Comparison(0.75, [f"family name '{_title(typed)}' sounds like '{_title(recorded)}'"])
    return Comparison(similarity * 0.5)


def _best_forename(typed: str, recorded_forenames: str, variants: VariantIndex) -> Comparison:
    """Compare with the first forename, and with middle names at a discount:
    children are often known by a middle name."""
    names = recorded_forenames.split()
    if not names:
        return Comparison(0.0)
    best = compare_forename(typed, names[0], variants)
    for middle in names[1:]:
        other = compare_forename(typed, middle, variants)
        if other.similarity * 0.9 > best.similarity:
            reasons = (
                [f"'{_title(typed)}' matches their middle name '{_title(middle)}'"]
                if other.similarity == 1.0
                else other.reasons
            )
            best = Comparison(other.similarity * 0.9, reasons)
    return best


def compare_names(terms: SearchTerms, record: CandidateRecord, variants: VariantIndex) -> Comparison:
    """The best reading of the typed name against the record's names and aliases."""
    given, family = terms.given_names.strip(), terms.family_name.strip()
    if not given and not family:
        return Comparison(0.0)
    options = []
    if given and family:
        forename = _best_forename(given, record.given_names, variants)
        surname = compare_family_name(family, record.family_name)
        options.append(
            Comparison(0.55 * surname.similarity + 0.45 * forename.similarity, surname.reasons + forename.reasons)
        )
        # Forenames and family names get swapped on forms, especially for names
        # from cultures that put the family name first.
        swapped_surname = compare_family_name(given, record.family_name)
        swapped_forename = compare_forename(
            family, record.given_names.split()[0] if record.given_names else "", variants
        )
        if swapped_surname.similarity >= SIMILAR_NAME and swapped_forename.similarity >= 0.75:
            options.append(
                Comparison(
                    0.95 * (0.55 * swapped_surname.similarity + 0.45 * swapped_forename.similarity),
                    ["first and family names appear to be swapped"],
                )
            )
    else:
        single = given or family
        forename = _best_forename(single, record.given_names, variants)
        surname = compare_family_name(single, record.family_name)
        best = max((forename, surname), key=lambda c: c.similarity)
        # One name alone is weak evidence of anything.
        options.append(Comparison(best.similarity * 0.8, best.reasons))
    typed_full = " ".join(p for p in (given, family) if p)
    for alias, kind in record.aliases:
        similarity = jaro_winkler(typed_full, alias) if " " in alias.strip() or " " not in typed_full else 0.0
        words = [_clean(w) for w in typed_full.split()]
        if _clean(alias) in words and " " not in alias.strip():
            # A nickname alone ('Jonny') matched against the forename typed.
            similarity = max(similarity, 0.85 if len(words) == 1 else 0.0)
            if len(words) > 1 and family and compare_family_name(family, record.family_name).similarity >= SIMILAR_NAME:
                similarity = max(similarity, 0.92)
        if similarity >= SIMILAR_NAME:
            label = "exactly" if similarity == 1.0 else "similar to"
            kind_text = (kind or "alias").lower()
            options.append(
                Comparison(
                    similarity * 0.95,
                    [f"known as '{alias.strip()}' ({kind_text}), {label} the name searched for"]
                    if label == "exactly"
                    else [f"'{typed_full}' is close to their {kind_text} '{alias.strip()}'"],
                )
            )
    return max(options, key=lambda c: c.similarity)


# ---------------------------------------------------------------- dates of birth


def _month_year(day: date) -> str:
    return day.strftime("%B %Y")


def compare_dates_of_birth(
    typed: date | None, typed_precision: str, recorded: date | None, recorded_precision: str
) -> Comparison:
    if typed is None or recorded is None:
        return Comparison(0.0)
    precisions = {typed_precision, recorded_precision}
    if Precision.ESTIMATED in precisions:
        gap = abs((typed - recorded).days)
        if gap <= 366:
            return Comparison(0.6, ["date of birth within a year of an estimated date of birth"])
        return Comparison(0.0, ["date of birth more than a year from an estimated date of birth"])
    if Precision.YEAR in precisions:
        if typed.year == recorded.year:
            return Comparison(0.6, [f"born in the same year ({recorded.year}); the exact date is not known"])
        return Comparison(0.0, ["different year of birth"])
    if Precision.MONTH in precisions:
        if (typed.year, typed.month) == (recorded.year, recorded.month):
            return Comparison(0.8, [f"born in the same month ({_month_year(recorded)}); the exact date is not known"])
        return Comparison(0.0, ["different month of birth"])
    if typed == recorded:
        return Comparison(1.0, ["same date of birth"])
    if (typed.year, typed.month, typed.day) == (recorded.year, recorded.day, recorded.month):
        return Comparison(0.7, ["date of birth with day and month swapped"])
    if (typed.month, typed.day) == (recorded.month, recorded.day) and abs(typed.year - recorded.year) == 1:
        return Comparison(0.5, ["same birthday, year of birth differs by one"])
    if (typed.year, typed.month) == (recorded.year, recorded.month):
        return Comparison(0.4, ["born in the same month, on a different day"])
    return Comparison(0.0, ["different date of birth"])


# ---------------------------------------------------------------- places and numbers


def compare_postcodes(typed: str | None, recorded_postcodes: Sequence[str]) -> Comparison:
    typed = normalise_postcode(typed)
    if not typed or not recorded_postcodes:
        return Comparison(0.0)
    known = [p for p in (normalise_postcode(r) for r in recorded_postcodes) if p]
    if typed in known:
        return Comparison(1.0, [f"has lived at the same postcode ({typed})"])
    if postcode_sector(typed) in {postcode_sector(p) for p in known}:
        return Comparison(0.6, [f"has lived in the same postcode sector ({postcode_sector(typed)})"])
    if postcode_district(typed) in {postcode_district(p) for p in known}:
        return Comparison(0.3, [f"has lived in the same postcode district ({postcode_district(typed)})"])
    return Comparison(0.0)


def score_candidate(terms: SearchTerms, record: CandidateRecord, variants: VariantIndex | None = None) -> MatchScore:
    """Weigh the comparisons for the fields the practitioner searched on."""
    variants = variants or VariantIndex()
    parts = []
    if terms.given_names or terms.family_name:
        parts.append(("name", compare_names(terms, record, variants)))
    if terms.date_of_birth:
        parts.append(
            (
                "date_of_birth",
                compare_dates_of_birth(
                    terms.date_of_birth, terms.dob_precision, record.date_of_birth, record.dob_precision
                ),
            )
        )
    if terms.postcode:
        parts.append(("postcode", compare_postcodes(terms.postcode, record.postcodes)))
    if terms.identifier:
        parts.append(
            ("identifier", Comparison(1.0, ["same identifier"]) if record.identifier_match else Comparison(0.0))
        )
    if terms.phone:
        parts.append(("phone", Comparison(1.0, ["same phone number"]) if record.phone_match else Comparison(0.0)))
    if not parts:
        return MatchScore(0.0, [])
    total_weight = sum(WEIGHTS[name] for name, _ in parts)
    score = sum(WEIGHTS[name] * c.similarity for name, c in parts) / total_weight
    if record.identifier_match or record.phone_match:
        score = max(score, STRONG_EVIDENCE_FLOOR)
    reasons = [reason for _, c in parts for reason in c.reasons]
    return MatchScore(round(min(score, 1.0), 3), reasons)
