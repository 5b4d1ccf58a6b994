"""Forms for administrators' changes to the person register's reference data.

A name variant group is checked here against every other active group, so that
a bad change is refused with a message and nothing is saved.
"""

import json
import re
from functools import lru_cache

from django import forms

from hoth.people.models import NameVariantGroup
from hoth.people.reference import FIXTURES

NAME_MAX_LENGTH = NameVariantGroup._meta.get_field("name").max_length
# Letters in any alphabet (Zoë, Seán), hyphens, apostrophes and spaces: the
# characters a given name is written with. At least one of them a letter.
_NAME = re.compile(r"(?=.*[^\W\d_])(?:[^\W\d_]|[-' ])+")
_SEPARATORS = re.compile(r"[,\n;]+")
ALLOWED_CHARACTERS = "letters, hyphens, apostrophes and spaces"


def normalise(name):
    """A name as an administrator meant it: typographic apostrophes made plain,
    runs of spaces collapsed."""
    return re.sub(r"\s+", " ", (name or "").replace("\u2019", "'").replace("\u2018", "'")).strip()


def key(name):
    return normalise(name).casefold()


@lru_cache(maxsize=1)
def published():
    """What the published fixture says: its group names (which later loads match
    groups on, so they may not be renamed) and the names it deliberately puts in
    more than one group (Jon is short for John and for Jonathan)."""
    data = json.loads((FIXTURES / "name_variants.json").read_text(encoding="utf-8"))
    seen, shared = set(), set()
    for group in data["groups"]:
        for name in {key(v) for v in group["variants"]}:
            (shared if name in seen else seen).add(name)
    return frozenset(key(g["name"]) for g in data["groups"]), frozenset(shared)


def is_published_name(name):
    return key(name) in published()[0]


def conflicts(names, *, exclude=None):
    """{name: the other active group it is already in}, for names that would
    then be in two active groups. Names the published list itself shares
    between groups are allowed: a nickname can belong to two names."""
    shared = published()[1]
    wanted = {key(n): n for n in names if key(n) not in shared}
    found = {}
    others = NameVariantGroup.objects.filter(is_active=True)
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    for group in others.only("name", "variants"):
        for variant in group.variants:
            if key(variant) in wanted:
                found.setdefault(wanted[key(variant)], group)
    return found


def _conflict_message(name, group):
    return (
        f"{name} is already in the group for {group.name}. A name can only be in one group that is "
        f"switched on: take it out of one of the groups"
    )


class NameVariantSearchForm(forms.Form):
    q = forms.CharField(
        label="Search by name",
        required=False,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )


class NameVariantGroupForm(forms.Form):
    """The group's name (the full form, which the published list matches on)
    and the other forms of it. Gives `variants`, the name first, in
    cleaned_data."""

    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        help_text="The full form of the name, for example William",
        error_messages={
            "required": "Enter the name",
            "max_length": f"Name must be {NAME_MAX_LENGTH} characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    other_names = forms.CharField(
        label="Other forms of the name",
        help_text="Nicknames, short forms and other spellings. Put each one on a new line or separate them "
        "with commas, for example Will, Bill, Billy",
        error_messages={"required": "Enter at least one other form of the name"},
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )

    def __init__(self, *args, group=None, **kwargs):
        self.group = group
        if group is not None and group.pk:
            others = [v for v in group.variants if key(v) != key(group.name)]
            kwargs.setdefault("initial", {"name": group.name, "other_names": "\n".join(others)})
        super().__init__(*args, **kwargs)
        if self.name_is_fixed:
            # Later loads of the published list find this group by its name.
            name = self.fields["name"]
            name.disabled = True
            name.help_text = "This name comes from the published list of name variants, so it cannot be changed"

    @property
    def name_is_fixed(self):
        return self.group is not None and self.group.pk is not None and is_published_name(self.group.name)

    def clean_name(self):
        name = normalise(self.cleaned_data["name"])
        if not _NAME.fullmatch(name):
            raise forms.ValidationError(f"Name must only include {ALLOWED_CHARACTERS}")
        taken = NameVariantGroup.objects.filter(name__iexact=name)
        if self.group is not None and self.group.pk:
            taken = taken.exclude(pk=self.group.pk)
        other = taken.first()
        if other is not None:
            if other.is_active:
                raise forms.ValidationError(f"There is already a group called {other.name}. Change that group instead")
            raise forms.ValidationError(
                f"There is already a group called {other.name}, switched off. Switch it on and change it instead"
            )
        return name

    def clean_other_names(self):
        names, seen, bad = [], set(), []
        for part in _SEPARATORS.split(self.cleaned_data["other_names"]):
            part = normalise(part)
            if not part:
                continue
            if not _NAME.fullmatch(part):
                bad.append(part)
            elif len(part) > NAME_MAX_LENGTH:
                raise forms.ValidationError(f"Each name must be {NAME_MAX_LENGTH} characters or fewer")
            elif key(part) not in seen:
                seen.add(key(part))
                names.append(part)
        if bad:
            listed = ", ".join(f"‘{b}’" for b in bad)
            raise forms.ValidationError(
                f"Other forms of the name must only include {ALLOWED_CHARACTERS}. Check {listed}"
            )
        if not names:
            raise forms.ValidationError("Enter at least one other form of the name")
        return names

    def clean(self):
        cleaned = super().clean()
        name, others = cleaned.get("name"), cleaned.get("other_names")
        if others is None:
            return cleaned
        if name is not None:
            others = [n for n in others if key(n) != key(name)]
            if not others:
                self.add_error("other_names", "Enter at least one form of the name that is different from the name")
                return cleaned
        # Checked even when the name has an error, so that every problem is
        # shown at once. A switched-off group is checked when it is switched on.
        if self.group is None or self.group.pk is None or self.group.is_active:
            names = [name, *others] if name is not None else others
            for clash, group in conflicts(names, exclude=self.group).items():
                field = "name" if name is not None and key(clash) == key(name) else "other_names"
                if field == "name" and self.name_is_fixed:
                    field = "other_names"
                self.add_error(field, _conflict_message(clash, group))
        if name is not None and not self.errors:
            cleaned["variants"] = [name, *others]
        return cleaned


class SwitchOnForm(forms.Form):
    """Confirms switching a group back on, refused if that would put a name in
    two groups that are switched on."""

    def __init__(self, *args, group, **kwargs):
        self.group = group
        super().__init__(*args, **kwargs)

    def clean(self):
        for clash, group in conflicts(self.group.variants, exclude=self.group).items():
            self.add_error(None, _conflict_message(clash, group))
        return super().clean()


class ConfirmForm(forms.Form):
    """A POST with nothing to fill in: the button is the decision."""
