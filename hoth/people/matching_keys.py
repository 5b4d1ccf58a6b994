"""Blocking keys for name search: a phonetic code that lets the database narrow
candidates before the careful comparison in hoth.analytics.person_matching.

Model save() methods call these; so must anything that writes people without
save() (bulk_create in the synthetic data generator, imports):

    person = Person(given_names=..., family_name=...)
    fill_person_keys(person)
    Person.objects.bulk_create([...])
"""

import jellyfish


def name_key(name):
    cleaned = "".join(ch for ch in (name or "").lower() if ch.isalpha())
    return jellyfish.metaphone(cleaned)[:20] if cleaned else ""


def given_name_key(given_names):
    """Keyed on the first forename: the one a person is usually called by."""
    words = (given_names or "").split()
    return name_key(words[0]) if words else ""


def alias_name_key(name):
    """Keyed on the last word: the family name of a full alias, or the single
    word of a nickname or street name."""
    words = (name or "").split()
    return name_key(words[-1]) if words else ""


def fill_person_keys(person):
    person.family_name_key = name_key(person.family_name)
    person.given_name_key = given_name_key(person.given_names)
    return person


def fill_alias_key(alias):
    alias.name_key = alias_name_key(alias.name)
    return alias
