"""How the generator makes one agency's record of a person differ from another's."""

import random
from datetime import date

from hoth.synthetic.perturb import partial_date, swap_forenames, transposed_date, typo


def test_a_typo_changes_a_name_but_keeps_its_first_letter():
    rng = random.Random(1)
    for name in ["Hughes", "Okafor", "Williams", "Proudlove", "Ali"]:
        for _ in range(20):
            misspelt = typo(rng, name)
            assert misspelt != name
            assert misspelt[0] == name[0]


def test_typos_are_the_same_for_the_same_seed():
    assert [typo(random.Random(9), "Bebbington") for _ in range(3)] == [typo(random.Random(9), "Bebbington")] * 3


def test_two_forenames_swap_and_a_single_forename_swaps_with_the_surname():
    assert swap_forenames("Mary Jane", "Smith") == ("Jane Mary", "Smith")
    assert swap_forenames("Hassan", "Ali") == ("Ali", "Hassan")


def test_a_partial_date_of_birth_keeps_only_the_month_or_the_year():
    rng = random.Random(2)
    seen = set()
    for _ in range(50):
        day, precision = partial_date(rng, date(2011, 7, 19))
        seen.add(precision)
        assert day == (date(2011, 7, 1) if precision == "month" else date(2011, 1, 1))
    assert seen == {"month", "year"}


def test_day_and_month_swap_only_when_the_result_is_another_date():
    assert transposed_date(date(2012, 3, 4)) == date(2012, 4, 3)
    assert transposed_date(date(2012, 3, 25)) is None
    assert transposed_date(date(2012, 5, 5)) is None
