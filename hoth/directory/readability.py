"""How hard a child-friendly description is to read.

The measure is the Flesch-Kincaid grade level (textstat), a US school grade;
a reading age is roughly the grade plus five. A child of 11 (Year 6 or 7)
should manage text at reading age 11 or below, so we warn above grade 6.
It is a rough guide for short texts, so it warns and never blocks.
"""

import hashlib

import textstat

MAX_READING_AGE = 11
_GRADE_TO_AGE = 5


def reading_age(text):
    text = (text or "").strip()
    if not text:
        return 0
    grade = textstat.flesch_kincaid_grade(text)
    return max(0, round(grade + _GRADE_TO_AGE))


def too_hard_for_children(text):
    return reading_age(text) > MAX_READING_AGE


def fingerprint(text):
    """Ties "save anyway" to the exact words that were warned about: change
    them and the check runs again."""
    return hashlib.sha256((text or "").strip().encode()).hexdigest()[:16]
