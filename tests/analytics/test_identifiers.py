"""Check digits for the identifiers agencies hold about a child."""

import pytest

from hoth.analytics.identifiers import (
    is_valid_nhs_number,
    is_valid_upn,
    nhs_check_digit,
    nhs_number_problem,
    normalise_postcode,
    upn_check_letter,
    upn_problem,
)


def test_a_published_test_nhs_number_is_valid_however_it_is_spaced():
    # 943 476 5919 is NHS Digital's example number.
    assert is_valid_nhs_number("9434765919")
    assert is_valid_nhs_number("943 476 5919")
    assert is_valid_nhs_number("943-476-5919")


def test_nhs_check_digit_is_modulus_11_of_the_weighted_first_nine_digits():
    # 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 299; 299 % 11 = 2; 11 - 2 = 9
    assert nhs_check_digit("943476591") == 9


def test_a_mistyped_nhs_number_is_refused_with_a_reason():
    assert nhs_number_problem("9434765918") == "The NHS number is not valid: check each digit has been typed correctly"
    assert nhs_number_problem("943476591") == "An NHS number must be 10 digits"
    assert nhs_number_problem("94347659A9") == "An NHS number must contain only numbers"


def test_nhs_numbers_whose_check_digit_would_be_ten_are_never_valid():
    # 6 * 2 = 12; 12 % 11 = 1; 11 - 1 = 10, which is not a digit.
    assert nhs_check_digit("000000006") is None
    assert not any(is_valid_nhs_number(f"000000006{d}") for d in range(10))


def test_upn_check_letter_is_the_dfe_modulus_23_letter():
    # Characters 2-13 of 201401100001 weighted 2-13: 4 + 0 + 4 + 20 + 0 + 7 + 8 + 0 + 0 + 0 + 0 + 13 = 56;
    # 56 % 23 = 10, the eleventh letter of ABCDEFGHJKLMNPQRTUVWXYZ is L.
    assert upn_check_letter("201401100001") == "L"
    assert is_valid_upn("L201401100001")
    assert is_valid_upn("l201 4011 00001")


def test_a_temporary_upn_ending_in_a_letter_counts_that_letter():
    # As above but with A (value 0) last: 56 - 13 = 43; 43 % 23 = 20 -> X.
    assert is_valid_upn("X20140110000A")


@pytest.mark.parametrize(
    "value, problem",
    [
        ("L20140110000", "A unique pupil number must be 13 characters"),
        ("L2014011000011", "A unique pupil number must be 13 characters"),
        ("1201401100001", "A unique pupil number must be a letter, then 11 numbers, then a number or letter"),
        ("M201401100001", "The unique pupil number is not valid: check each character has been typed correctly"),
        ("I201401100001", "A unique pupil number cannot contain the letters I, O or S"),
    ],
)
def test_an_invalid_upn_is_refused_with_a_specific_reason(value, problem):
    assert upn_problem(value) == problem


@pytest.mark.parametrize(
    "typed, stored", [("cw12ab", "CW1 2AB"), (" CW1  2AB ", "CW1 2AB"), ("m1 1ae", "M1 1AE"), ("sw1a1aa", "SW1A 1AA")]
)
def test_postcodes_are_stored_in_one_form(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["CW1", "12345", "CW1 2A", "QW1 2AB", ""])
def test_things_that_are_not_postcodes_are_refused(typed):
    assert normalise_postcode(typed) is None
