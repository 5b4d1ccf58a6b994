"""Finding known subjects of concern in what practitioners write.

A referrer names "an older male known as 'Tiny'"; a return home interview says
the child was "with Dean Moss at the Mill Street flat"; a screening's evidence
gives a car's registration. When those words name a subject the partnership
already knows, the service proposes a link for an analyst to accept or reject:
a proposal, never a fact, so this module prefers missing a mention to inventing
one. Each find says which words matched which name and how, so the analyst can
check it against the record.

How a name is matched:

- a name of two or more words (a full name, a place's name): the same words
  in the same order, ignoring case, punctuation and accents;
- a one-word name (a street name or nickname): only when the text puts it in
  quotes ('Tiny', "Tiny" or typographic quotes), because one word such as
  "Tiny" or "Ace" is otherwise just a word;
- an online handle: the handle with its @, or in quotes;
- a vehicle: a registration anywhere in the text, spaces ignored;
- a phone: any number that reads as the same E.164 number.

Pure Python (phonenumbers for numbers); no Django.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

MAX_NAME_WORDS = 8
_WORD = re.compile(r"@?[a-z0-9_]+(?:['’][a-z0-9]+)*")
_QUOTED = re.compile(r"[\"'‘“]([^\"'‘’“”]{2,60})[\"'’”]")
_ALPHANUMERIC = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class Known:
    """A subject that text may mention. `names` are whatever it is called:
    full names, aliases and street names, a place's name, a handle."""

    id: int
    kind: str
    names: tuple[str, ...] = ()
    registration: str = ""  # normalised, no spaces
    phone: str = ""  # E.164


@dataclass(frozen=True)
class Found:
    subject: int
    kind: str
    matched: str  # the words of the text that matched
    how: str  # e.g. "street name in quotes"

    @property
    def because(self):
        return f"'{self.matched}' matches its {self.how}"


def words(text: str) -> tuple[str, ...]:
    """Lower-case words without accents or punctuation ("O'Neil" is one word)."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return tuple(_WORD.findall(plain))


class MentionIndex:
    """Every name of every known subject, ready to look for in many texts."""

    def __init__(self, known: Iterable[Known], *, region="GB"):
        self.region = region
        self.phrases: defaultdict[tuple[str, ...], set] = defaultdict(
            set
        )  # words of a name of two or more words -> {(subject, kind, how)}
        self.single: defaultdict[tuple[str, ...], set] = defaultdict(set)  # a one-word name -> {(subject, kind, how)}
        self.registrations = defaultdict(set)
        self.phones = defaultdict(set)
        for subject in known:
            for name in subject.names:
                key = words(name)
                if not key or len(key) > MAX_NAME_WORDS:
                    continue
                how = _how(subject.kind, name, len(key))
                (self.phrases if len(key) > 1 else self.single)[key].add((subject.id, subject.kind, how))
            if subject.registration:
                self.registrations[subject.registration].add((subject.id, subject.kind, "registration"))
            if subject.phone:
                self.phones[subject.phone].add((subject.id, subject.kind, "phone number"))

    def find(self, text: str) -> list[Found]:
        """The known subjects `text` mentions, each once."""
        found: dict = {}

        def add(hits, matched):
            for subject, kind, how in sorted(hits):
                found.setdefault(subject, Found(subject, kind, matched, how))

        tokens = words(text)
        for start in range(len(tokens)):
            for length in range(min(MAX_NAME_WORDS, len(tokens) - start), 1, -1):
                key = tokens[start : start + length]
                if key in self.phrases:
                    add(self.phrases[key], " ".join(key))
        for quoted in _QUOTED.findall(text or ""):
            key = words(quoted)
            if len(key) == 1 and key in self.single:
                add(self.single[key], quoted.strip())
            elif key in self.phrases:
                add(self.phrases[key], quoted.strip())
        for token in tokens:
            if token.startswith("@") and (token,) in self.single:
                add(self.single[(token,)], token)
        if self.registrations:
            # A registration is one run of letters and digits, or two with a space between.
            runs = _ALPHANUMERIC.findall(text or "")
            for first, second in zip(runs, runs[1:] + [""]):
                for candidate in (f"{first} {second}", first) if second else (first,):
                    normal = candidate.replace(" ", "").upper()
                    if normal in self.registrations:
                        add(self.registrations[normal], candidate)
        if self.phones:
            # POSSIBLE, not VALID: Ofcom's drama numbers (07700 900xxx) are
            # not allocated, and synthetic data uses nothing else.
            for match in phonenumbers.PhoneNumberMatcher(
                text or "", self.region, leniency=phonenumbers.Leniency.POSSIBLE
            ):
                e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
                if e164 in self.phones:
                    add(self.phones[e164], match.raw_string)
        return list(found.values())


def _how(kind, name, length):
    if name.startswith("@"):
        return "handle"
    if kind == "person":
        return "name" if length > 1 else "street name or nickname in quotes"
    return "name" if length > 1 else "name in quotes"
