"""How one agency's record of a person comes to differ from another's.

Pure functions of a random.Random, so the same seed makes the same mistakes.
Each is a kind of difference practitioners see every day between partner
records: a mistyped surname, a nickname, forenames in another order, a date
of birth known only to the month, a day and month swapped.
"""

from datetime import date

# Letter pairs people confuse when they spell a name they have only heard.
SOUNDS_ALIKE = [
    ("ph", "f"),
    ("ck", "k"),
    ("ie", "y"),
    ("ey", "y"),
    ("ll", "l"),
    ("tt", "t"),
    ("ai", "ay"),
    ("ee", "ea"),
    ("c", "k"),
    ("z", "s"),
    ("ou", "ow"),
    ("mm", "m"),
    ("nn", "n"),
]


def typo(rng, name):
    """One slip of the keyboard or the ear, keeping the first letter (people
    rarely get that wrong, and it keeps the name findable)."""
    if len(name) < 4:
        return name + name[-1]
    kind = rng.choice(["swap", "drop", "double", "sound", "vowel"])
    i = rng.randrange(1, len(name) - 1)
    if kind == "swap" and name[i] != name[i + 1]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    if kind == "double":
        return name[:i] + name[i] + name[i:]
    if kind == "sound":
        lower = name.lower()
        for heard, written in SOUNDS_ALIKE:
            at = lower.find(heard, 1)
            if at > 0:
                return name[:at] + written + name[at + len(heard) :]
    vowels = "aeiou"
    at = [j for j in range(1, len(name)) if name[j] in vowels]
    if at:
        j = rng.choice(at)
        return name[:j] + rng.choice([v for v in vowels if v != name[j]]) + name[j + 1 :]
    return name[:i] + name[i + 1 :]


def swap_forenames(given_names, family_name):
    """'Mary Jane' becomes 'Jane Mary'; a single forename swaps with the
    surname, as happens when a form's boxes are filled the other way round."""
    words = given_names.split()
    if len(words) > 1:
        return " ".join([words[1], words[0], *words[2:]]), family_name
    return family_name, given_names


def partial_date(rng, day):
    """The date of birth as an agency that only knows the month or the year holds it."""
    if rng.random() < 0.7:
        return date(day.year, day.month, 1), "month"
    return date(day.year, 1, 1), "year"


def transposed_date(day):
    """Day and month swapped (3/4 for 4/3), when that is still a date; else None."""
    if day.day > 12 or day.day == day.month:
        return None
    return date(day.year, day.day, day.month)
