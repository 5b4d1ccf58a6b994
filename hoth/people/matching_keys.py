"""Blocking keys for name search: a phonetic code that lets the database narrow
candidates before the careful comparison in hoth.analytics.person_matching."""

import jellyfish


def name_key(name):
    cleaned = "".join(ch for ch in (name or "").lower() if ch.isalpha())
    return jellyfish.metaphone(cleaned)[:20] if cleaned else ""
