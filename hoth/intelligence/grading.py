"""Reading and checking gradings against the grading codes (reference data).

The College of Policing's 3x5x2 grades every piece of intelligence three ways:
the source (1 reliable, 2 untested, 3 not reliable), the intelligence itself
(A known directly to the source ... E suspected to be false) and how it may be
handled (P lawful sharing permitted, C with conditions). Intelligence imported
from older systems keeps its 5x5x5 grading as it was given; each legacy code
names the 3x5x2 code it is read as (its `equivalent`), and that is what
filters and sharing rules use. The whole mapping is data an administrator
can correct, never code.

A link's or report's grade for the network is one number, ten times the
source's rank plus the intelligence's rank (1A is 35, 3E is 11), so that a
filter on both parts is a set of grades (`allowed_grades`).
"""

from dataclasses import dataclass

from django.core.cache import cache

from .models import GradingCode, Scheme

CACHE_KEY = "intelligence:grading-codes"
SOURCE, INTELLIGENCE, HANDLING = (
    GradingCode.Dimension.SOURCE,
    GradingCode.Dimension.INTELLIGENCE,
    GradingCode.Dimension.HANDLING,
)
# A handling code whose equivalent is this shares with no one beyond police and analysts.
NO_WIDER_SHARING = ""


@dataclass(frozen=True)
class Code:
    scheme: str
    dimension: str
    code: str
    label: str
    description: str
    rank: int
    equivalent: str


def _all():
    codes = cache.get(CACHE_KEY)
    if codes is None:
        codes = [
            Code(c.scheme, c.dimension, c.code, c.label, c.description, c.rank, c.equivalent)
            for c in GradingCode.objects.order_by("scheme", "dimension", "position", "code")
        ]
        cache.set(CACHE_KEY, codes, 300)
    return codes


def forget():
    cache.delete(CACHE_KEY)


def codes(scheme, dimension):
    return [c for c in _all() if c.scheme == scheme and c.dimension == dimension]


def find(scheme, dimension, code):
    for c in _all():
        if c.scheme == scheme and c.dimension == dimension and c.code == code:
            return c
    return None


def choices(dimension, scheme=Scheme.NATIONAL):
    """(code, "code: label") pairs for a form's radios."""
    return [(c.code, f"{c.code}: {c.label}") for c in codes(scheme, dimension)]


def national(scheme, dimension, code):
    """The 3x5x2 code a code is read as (itself for 3x5x2); None if unknown."""
    found = find(scheme, dimension, code)
    if found is None:
        return None
    return found.code if scheme == Scheme.NATIONAL else found.equivalent


def grade(scheme, source, intelligence):
    """The network grade of a grading; 0 for an ungraded or unknown one."""
    s = find(Scheme.NATIONAL, SOURCE, national(scheme, SOURCE, source) or "")
    i = find(Scheme.NATIONAL, INTELLIGENCE, national(scheme, INTELLIGENCE, intelligence) or "")
    if s is None or i is None:
        return 0
    return s.rank * 10 + i.rank


def grade_table():
    """{(scheme, source, intelligence): grade} for every combination, so a
    loader turns thousands of links into grades without a lookup each. The
    codes are read once: each read of the cache unpickles them all."""
    everything = _all()
    by_key = {(c.scheme, c.dimension, c.code): c for c in everything}

    def rank(code):
        equivalent = code.code if code.scheme == Scheme.NATIONAL else code.equivalent
        national_code = by_key.get((Scheme.NATIONAL, code.dimension, equivalent))
        return national_code.rank if national_code else None

    table = {}
    for s in everything:
        for i in everything:
            if s.dimension == SOURCE and i.dimension == INTELLIGENCE and s.scheme == i.scheme:
                ranks = rank(s), rank(i)
                table[(s.scheme, s.code, i.code)] = 0 if None in ranks else ranks[0] * 10 + ranks[1]
    return table


def allowed_grades(*, min_intelligence=None, max_source=None):
    """The grades a filter keeps: intelligence assessed at least as well as
    `min_intelligence` (a 3x5x2 letter) from sources no worse than
    `max_source` (a 3x5x2 number). None when the filter keeps everything."""
    if not min_intelligence and not max_source:
        return None
    sources = codes(Scheme.NATIONAL, SOURCE)
    intelligence = codes(Scheme.NATIONAL, INTELLIGENCE)
    floor_s = find(Scheme.NATIONAL, SOURCE, max_source).rank if max_source else 0
    floor_i = find(Scheme.NATIONAL, INTELLIGENCE, min_intelligence).rank if min_intelligence else 0
    return tuple(
        sorted(s.rank * 10 + i.rank for s in sources for i in intelligence if s.rank >= floor_s and i.rank >= floor_i)
    )


def sharing(scheme, handling):
    """ "P", "C" or NO_WIDER_SHARING: what a handling code allows."""
    if scheme == Scheme.NATIONAL:
        return handling if find(scheme, HANDLING, handling) else NO_WIDER_SHARING
    return national(scheme, HANDLING, handling) or NO_WIDER_SHARING


def explained(scheme, source, intelligence, handling=""):
    """Each part of a grading with its meaning, for the page."""
    parts = []
    for dimension, code in ((SOURCE, source), (INTELLIGENCE, intelligence), (HANDLING, handling)):
        if not code:
            continue
        found = find(scheme, dimension, code)
        label = found.label if found else "not a known code"
        parts.append((GradingCode.Dimension(dimension).label, code, label))
    return parts


def problems(scheme, source, intelligence, handling=None):
    """{part: message} for the parts of a grading that are not codes of its
    scheme; empty when it is a grading. `handling` None: not asked for."""
    found = {}
    if scheme not in Scheme.values:
        return {"scheme": f"Grading scheme must be 3x5x2 or 5x5x5, not {scheme!r}"}
    asked = [(SOURCE, "source_evaluation", source), (INTELLIGENCE, "intelligence_assessment", intelligence)]
    if handling is not None:
        asked.append((HANDLING, "handling_code", handling))
    for dimension, name, code in asked:
        if find(scheme, dimension, code) is None:
            known = ", ".join(c.code for c in codes(scheme, dimension))
            what = GradingCode.Dimension(dimension).label.lower()
            found[name] = f"{'Enter' if not code else 'Enter a known'} {what} ({scheme}: {known})"
    return found
