"""Applying redactions to an assembled disclosure, for the officer's pages,
the PDF and the JSON alike.

A redaction withholds a whole item, one field of an item, or some words
wherever they appear. The most specific wins nothing: a withheld item hides
its fields, a redacted field hides its words; what is left shows each
redacted run of words as a black box with its reason code.
"""

import re
from dataclasses import dataclass, field
from datetime import date


@dataclass
class ShownField:
    key: str
    label: str
    parts: list
    redaction: object = None

    @property
    def redacted_parts(self):
        return [p for p in self.parts if "redacted" in p]


@dataclass
class ShownItem:
    key: str
    kind: str
    title: str
    date: str
    reference: str
    fields: list = field(default_factory=list)
    withheld: object = None
    title_parts: list = field(default_factory=list)

    @property
    def when(self):
        """The item's date as people write it."""
        try:
            return date.fromisoformat(self.date).strftime("%-d %B %Y") if self.date else ""
        except ValueError:
            return self.date

    @property
    def redaction_count(self):
        if self.withheld is not None:
            return 1
        return sum(1 for f in self.fields if f.redaction is not None) + sum(
            len(f.redacted_parts) for f in self.fields if f.redaction is None
        )


@dataclass
class ShownSection:
    key: str
    title: str
    items: list


class Redactor:
    def __init__(self, redactions):
        active = [r for r in redactions if r.is_redacted]
        self.items = {r.item_key: r for r in active if r.item_key and not r.field_key}
        self.fields = {(r.item_key, r.field_key): r for r in active if r.item_key and r.field_key}
        words = sorted((r for r in active if not r.item_key and r.words), key=lambda r: (-len(r.words), r.pk or 0))
        self.by_words = {}
        for r in words:
            self.by_words.setdefault(" ".join(r.words.split()).casefold(), r)
        self.pattern = None
        if self.by_words:
            alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in self.by_words)
            self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def parts(self, value):
        """The value as text and black boxes: [{"text": ...}, {"redacted": code, "redaction": pk}, ...]."""
        if self.pattern is None:
            return [{"text": value}]
        parts, at = [], 0
        for match in self.pattern.finditer(value):
            if match.start() > at:
                parts.append({"text": value[at : match.start()]})
            redaction = self.by_words[" ".join(match.group(0).split()).casefold()]
            parts.append({"redacted": redaction.reason.code if redaction.reason else "", "redaction": redaction.pk})
            at = match.end()
        if at < len(value):
            parts.append({"text": value[at:]})
        return parts or [{"text": ""}]

    def item(self, raw):
        withheld = self.items.get(raw["key"])
        shown = ShownItem(
            raw["key"], raw["kind"], raw["title"], raw.get("date", ""), raw.get("reference", ""), withheld=withheld
        )
        if withheld is not None:
            return shown
        # The title names the record; a name in it is redacted as anywhere else.
        shown.title_parts = self.parts(raw["title"])
        for f in raw["fields"]:
            redaction = self.fields.get((raw["key"], f["key"]))
            if redaction is not None:
                parts = [{"redacted": redaction.reason.code if redaction.reason else "", "redaction": redaction.pk}]
            else:
                parts = self.parts(f["value"])
            shown.fields.append(ShownField(f["key"], f["label"], parts, redaction))
        return shown

    def sections(self, content):
        return [ShownSection(s["key"], s["title"], [self.item(i) for i in s["items"]]) for s in content["sections"]]

    def occurrences(self, content):
        """How many times each words redaction is applied across the disclosure."""
        counts = {}
        if self.pattern is None:
            return counts
        for section in content["sections"]:
            for item in section["items"]:
                if item["key"] in self.items:
                    continue
                for f in item["fields"]:
                    if (item["key"], f["key"]) in self.fields:
                        continue
                    for match in self.pattern.finditer(f["value"]):
                        pk = self.by_words[" ".join(match.group(0).split()).casefold()].pk
                        counts[pk] = counts.get(pk, 0) + 1
        return counts


def find_item(content, key):
    for section in content["sections"]:
        for item in section["items"]:
            if item["key"] == key:
                return section, item
    return None, None
