"""Finding people: the one search the pages, the API and the benchmark share.

Two steps, as record linkage does it. First the database narrows 80,000 people
to a few hundred candidates with indexed blocking keys (phonetic name codes,
date of birth, postcode, identifier, phone), always inside
Person.objects.visible_to(user). Then hoth.analytics.person_matching scores
each candidate in Python and says why it matched.
"""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

import phonenumbers
from django.core.cache import cache
from django.db.models import Case, Exists, OuterRef, Q, Value, When

from hoth.analytics.identifiers import normalise_postcode, normalise_upn
from hoth.analytics.person_matching import (
    CandidateRecord,
    SearchTerms,
    VariantIndex,
    score_candidate,
    split_name,
)

from .matching_keys import name_key
from .models import Address, Alias, DobPrecision, Identifier, NameVariantGroup, Person, PhoneNumber

# Enough to hold every plausible match for a full name; a bare common first
# name is cut here and the page asks for more detail.
MAX_CANDIDATES = 400
# Below this a candidate is noise rather than a possible match.
MIN_SCORE = 0.35
# Search before create treats these as "likely the same person".
LIKELY_MATCH = 0.6
_VARIANTS_CACHE_KEY = NameVariantGroup.CACHE_KEY


@dataclass
class Match:
    person: Person
    score: float
    reasons: list

    @property
    def percent(self):
        return round(self.score * 100)


def variant_index():
    """The active name variant groups, read once and kept for a few minutes
    (a change clears this process's copy at once, other processes' within 5 minutes)."""
    groups = cache.get(_VARIANTS_CACHE_KEY)
    if groups is None:
        groups = list(NameVariantGroup.objects.filter(is_active=True).values_list("variants", flat=True))
        cache.set(_VARIANTS_CACHE_KEY, groups, 300)
    return VariantIndex(groups)


def forget_variants():
    cache.delete(_VARIANTS_CACHE_KEY)


def normalise_identifier(value):
    return normalise_upn(value)


def normalise_phone(value):
    """E.164 for a UK or international number, or '' if it cannot be read."""
    try:
        number = phonenumbers.parse(value or "", "GB")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def dob_range(day, precision):
    """The dates of birth that could be meant by `day` typed at `precision`."""
    if precision == DobPrecision.MONTH:
        return date(day.year, day.month, 1), date(day.year, day.month, monthrange(day.year, day.month)[1])
    if precision == DobPrecision.YEAR:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if precision == DobPrecision.ESTIMATED:
        return date(day.year - 1, 1, 1), date(day.year + 1, 12, 31)
    return day, day


def _name_keys(name, variants):
    return {name_key(v) for v in variants.variants_of(name)} - {""}


def _ids(queryset):
    """Person ids from a side table, fetched first so that the main query is an
    OR of plain indexed conditions (PostgreSQL then combines bitmap index scans
    instead of scanning every person to test a correlated subquery)."""
    return list(queryset.values_list("person_id", flat=True).distinct()[:MAX_CANDIDATES])


def _blocking(terms, variants):
    """The SQL that narrows the register to candidates; None if nothing was typed."""
    blocks = []
    given, family = terms.given_names.strip(), terms.family_name.strip()
    if given or family:
        if given and family:
            family_key = name_key(family)
            first = given.split()[0]
            given_keys = _name_keys(first, variants)
            # Same family name and a first name that sounds the same, is a known
            # variant, or is one of their forenames (children often go by a middle name).
            name_block = Q(family_name_key=family_key) & (
                Q(given_name_key__in=given_keys) | Q(given_names__icontains=first)
            )
            # Forenames and family name swapped.
            name_block |= Q(family_name_key__in=given_keys, given_name_key=family_key)
            # A full alias ('Jay Smith') is keyed on its last word. A one-word
            # nickname matters only with the family name, which the first block has.
            alias_keys = {family_key}
        else:
            single = given or family
            keys = _name_keys(single, variants)
            name_block = Q(family_name_key__in=keys) | Q(given_name_key__in=keys)
            alias_keys = keys
        alias_ids = _ids(Alias.objects.filter(name_key__in=alias_keys))
        if alias_ids:
            name_block |= Q(pk__in=alias_ids)
        if terms.date_of_birth and terms.dob_precision != DobPrecision.EXACT:
            # A rough date of birth only narrows a name; alone it matches thousands.
            start, end = dob_range(terms.date_of_birth, terms.dob_precision)
            name_block &= Q(date_of_birth__range=(start, end)) | Q(date_of_birth__isnull=True)
        blocks.append(name_block)
    if terms.date_of_birth and terms.dob_precision == DobPrecision.EXACT:
        day = terms.date_of_birth
        # Same day, records only known to the month, and the record of someone
        # whose day and month were typed the wrong way round. With a name this
        # also finds a misspelt family name.
        start, end = dob_range(day, DobPrecision.MONTH)
        dob_block = Q(date_of_birth=day) | Q(date_of_birth__range=(start, end), dob_precision=DobPrecision.MONTH)
        if day.day <= 12 and day.day != day.month:
            dob_block |= Q(date_of_birth=date(day.year, day.day, day.month))
        blocks.append(dob_block)
    if terms.postcode:
        blocks.append(Q(pk__in=_ids(Address.objects.filter(postcode=terms.postcode))))
    if terms.identifier:
        blocks.append(Q(pk__in=_ids(Identifier.objects.filter(value=terms.identifier))))
    if terms.phone:
        blocks.append(Q(pk__in=_ids(PhoneNumber.objects.filter(e164=terms.phone))))
    if not blocks:
        return None
    combined = blocks[0]
    for block in blocks[1:]:
        combined |= block
    return combined


def make_terms(*, name="", date_of_birth=None, dob_precision=DobPrecision.EXACT, postcode="", identifier="", phone=""):
    given, family = split_name(name)
    return SearchTerms(
        given_names=given,
        family_name=family,
        date_of_birth=date_of_birth,
        dob_precision=dob_precision or DobPrecision.EXACT,
        postcode=normalise_postcode(postcode) or re.sub(r"\s+", " ", (postcode or "").strip().upper()),
        identifier=normalise_identifier(identifier),
        phone=normalise_phone(phone) if phone else "",
    )


def _candidates(people, terms, variants):
    """Plain records for scoring: a few columns as tuples, not model instances,
    so that scoring hundreds of candidates stays within milliseconds."""
    where = _blocking(terms, variants)
    if where is None:
        return {}
    annotations = {}
    if terms.identifier:
        annotations["identifier_match"] = Exists(
            Identifier.objects.filter(person=OuterRef("pk"), value=terms.identifier)
        )
    if terms.phone:
        annotations["phone_match"] = Exists(PhoneNumber.objects.filter(person=OuterRef("pk"), e164=terms.phone))
    # When a bare common name has more candidates than we score, keep the
    # exact spellings rather than whichever records are oldest.
    single = terms.given_names if not terms.family_name else ""
    first = (
        Case(When(Q(family_name__iexact=single) | Q(given_names__iexact=single), then=0), default=1)
        if single
        else Value(0)
    )
    rows = list(
        people.filter(where)
        .annotate(**annotations, exact_first=first)
        .order_by("exact_first", "pk")
        .values("pk", "given_names", "family_name", "date_of_birth", "dob_precision", *annotations)[:MAX_CANDIDATES]
    )
    ids = [row["pk"] for row in rows]
    aliases, postcodes = {}, {}
    kinds = dict(Alias.Kind.choices)
    for person_id, name, kind in Alias.objects.filter(person_id__in=ids).values_list("person_id", "name", "kind"):
        aliases.setdefault(person_id, []).append((name, kinds.get(kind, kind)))
    for person_id, postcode in Address.objects.filter(person_id__in=ids).values_list("person_id", "postcode"):
        postcodes.setdefault(person_id, []).append(postcode)
    return {
        row["pk"]: CandidateRecord(
            given_names=row["given_names"],
            family_name=row["family_name"],
            aliases=tuple(aliases.get(row["pk"], ())),
            date_of_birth=row["date_of_birth"],
            dob_precision=row["dob_precision"],
            postcodes=tuple(postcodes.get(row["pk"], ())),
            identifier_match=row.get("identifier_match", False),
            phone_match=row.get("phone_match", False),
        )
        for row in rows
    }


def score_people(people, terms, *, variants=None, min_score=MIN_SCORE, limit=50):
    """Block, score, then load the people shown, all within `people` (which
    the caller has already scoped)."""
    variants = variants or variant_index()
    scored = []
    for pk, record in _candidates(people, terms, variants).items():
        result = score_candidate(terms, record, variants)
        if result.score >= min_score:
            scored.append((-result.score, record.family_name, record.given_names, pk, result))
    scored.sort(key=lambda item: item[:4])
    if limit:
        scored = scored[:limit]
    # Sensitive notes are never decrypted for a list.
    shown = people.defer("sensitive_notes").in_bulk([item[3] for item in scored])
    return [Match(shown[item[3]], item[4].score, item[4].reasons) for item in scored if item[3] in shown]


def search_people(
    user,
    *,
    name="",
    date_of_birth=None,
    dob_precision=DobPrecision.EXACT,
    postcode="",
    identifier="",
    phone="",
    limit=50,
    min_score=MIN_SCORE,
):
    """People this user may see who match what was typed, best first."""
    terms = make_terms(
        name=name,
        date_of_birth=date_of_birth,
        dob_precision=dob_precision,
        postcode=postcode,
        identifier=identifier,
        phone=phone,
    )
    return score_people(Person.objects.visible_to(user), terms, min_score=min_score, limit=limit)
