"""Finding known subjects in what practitioners write: a proposal, never a
fact, so a mention must be specific (a full name, a quoted street name, a
registration, a number) and say what matched."""

import subprocess
import sys

from hoth.analytics.geography import distances_m, nearest_within
from hoth.analytics.mentions import Known, MentionIndex, words

KNOWN = [
    Known(1, "person", ("Dean Moss", "Tiny", "Dean 'Tiny' Moss")),
    Known(2, "place", ("The chip shop on Mill Street",)),
    Known(3, "vehicle", registration="AB12CDE"),
    Known(4, "phone", phone="+447700900982"),
    Known(5, "online", ("Snapchat group 'Mill St'", "@millst23")),
    Known(6, "person", ("Siobhán O'Neil",)),
]
INDEX = MentionIndex(KNOWN)


def found(text):
    return {(f.subject, f.how) for f in INDEX.find(text)}


def test_a_full_name_matches_in_any_case_and_punctuation():
    assert found("seen with DEAN MOSS, twice") == {(1, "name")}


def test_a_one_word_street_name_matches_only_in_quotes():
    assert found("An older male known as 'Tiny'") == {(1, "street name or nickname in quotes")}
    assert found("Calls himself “Tiny”") == {(1, "street name or nickname in quotes")}
    assert found("a tiny flat above the shop") == set()


def test_accents_and_apostrophes_in_names_are_read_as_written():
    assert words("Siobhán O'Neil") == ("siobhan", "o'neil")
    assert found("with siobhan o'neil") == {(6, "name")}


def test_a_place_name_matches_as_a_phrase():
    assert found("Found near the chip shop on Mill Street at 11pm") == {(2, "name")}
    assert found("the chip shop on Nantwich Road") == set()


def test_a_registration_matches_with_or_without_its_space():
    assert found("Got into AB12 CDE") == {(3, "registration")}
    assert found("car ab12cde outside") == {(3, "registration")}
    assert found("AB12 CDF") == set()


def test_a_phone_number_matches_however_it_is_written():
    assert found("texts from 07700 900982") == {(4, "phone number")}
    assert found("ring +44 7700 900982") == {(4, "phone number")}


def test_a_handle_matches_with_its_at_sign():
    assert found("messaged by @millst23 late at night") == {(5, "handle")}


def test_each_subject_is_found_once_and_says_what_matched():
    hits = INDEX.find("Dean Moss ('Tiny') drove AB12 CDE; Tiny again")
    assert [f.subject for f in hits].count(1) == 1
    dean = next(f for f in hits if f.subject == 1)
    assert dean.because == "'dean moss' matches its name"


def test_no_known_subjects_find_nothing():
    assert MentionIndex([]).find("Dean Moss in AB12 CDE on 07700 900982") == []


def test_distances_and_the_nearest_place():
    assert round(float(distances_m(53.0, -2.0, [53.001], [-2.0])[0])) == 111
    assert nearest_within(53.0, -2.0, [53.01, 53.001], [-2.0, -2.0], 150)[0] == 1
    assert nearest_within(53.0, -2.0, [53.01], [-2.0], 150) is None
    assert nearest_within(None, -2.0, [53.0], [-2.0], 150) is None


def test_the_modules_are_pure_and_import_no_django():
    code = "import sys, hoth.analytics.mentions, hoth.analytics.geography; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
