"""Is this the same person? The scores and the reasons a practitioner reads."""

from datetime import date

from hoth.analytics.person_matching import (
    CandidateRecord,
    SearchTerms,
    VariantIndex,
    compare_dates_of_birth,
    score_candidate,
)

VARIANTS = VariantIndex(
    [["Jonathan", "Jon", "Jonny"], ["William", "Will", "Bill", "Billy"], ["Margaret", "Maggie", "Peggy"]]
)


def test_a_nickname_matches_the_full_name_and_says_so():
    result = score_candidate(SearchTerms("Jon", "Smith"), CandidateRecord("Jonathan", "Smith"), VARIANTS)
    assert "'Jon' is a known form of 'Jonathan'" in result.reasons
    assert result.score >= 0.9


def test_an_unrelated_first_name_scores_well_below_a_nickname():
    nickname = score_candidate(SearchTerms("Peggy", "Smith"), CandidateRecord("Margaret", "Smith"), VARIANTS)
    stranger = score_candidate(SearchTerms("Peggy", "Smith"), CandidateRecord("Patricia", "Smith"), VARIANTS)
    assert nickname.score > stranger.score + 0.2
    assert not any("known form" in r for r in stranger.reasons)


def test_variants_are_only_known_from_the_groups_given():
    result = score_candidate(SearchTerms("Bill", "Jones"), CandidateRecord("William", "Jones"), VariantIndex())
    assert not any("known form" in r for r in result.reasons)


def test_swapped_forename_and_family_name_are_recognised():
    result = score_candidate(SearchTerms("Khan", "Amir"), CandidateRecord("Amir", "Khan"), VARIANTS)
    assert result.reasons == ["first and family names appear to be swapped"]
    assert result.score >= 0.9


def test_a_misspelt_family_name_is_explained():
    result = score_candidate(SearchTerms("Amy", "Smyth"), CandidateRecord("Amy", "Smith"), VARIANTS)
    assert "family name 'Smyth' is spelt like 'Smith'" in result.reasons
    assert 0.8 < result.score < 1.0


def test_a_street_name_alias_is_found():
    record = CandidateRecord("Tyler", "Brookes", aliases=(("Ghost", "Street name"),))
    result = score_candidate(SearchTerms("Ghost", ""), record, VARIANTS)
    assert "known as 'Ghost' (street name), exactly the name searched for" in result.reasons


def test_a_middle_name_the_child_goes_by_counts():
    result = score_candidate(SearchTerms("Paul", "Smith"), CandidateRecord("Jonathan Paul", "Smith"), VARIANTS)
    assert "'Paul' matches their middle name 'Paul'" in result.reasons


def test_same_date_of_birth_raises_the_score_and_a_different_one_lowers_it():
    terms = SearchTerms("Amy", "Shaw", date(2010, 3, 4))
    same = score_candidate(terms, CandidateRecord("Amy", "Shaw", date_of_birth=date(2010, 3, 4)), VARIANTS)
    other = score_candidate(terms, CandidateRecord("Amy", "Shaw", date_of_birth=date(2008, 11, 20)), VARIANTS)
    assert "same date of birth" in same.reasons
    assert "different date of birth" in other.reasons
    assert same.score > other.score + 0.25


def test_a_date_of_birth_known_only_to_the_month_matches_any_day_in_that_month():
    comparison = compare_dates_of_birth(date(2010, 3, 17), "exact", date(2010, 3, 1), "month")
    assert comparison.similarity == 0.8
    assert comparison.reasons == ["born in the same month (March 2010); the exact date is not known"]
    assert compare_dates_of_birth(date(2010, 4, 17), "exact", date(2010, 3, 1), "month").similarity == 0


def test_a_date_of_birth_known_only_to_the_year_matches_that_year():
    comparison = compare_dates_of_birth(date(2011, 1, 1), "year", date(2011, 9, 30), "exact")
    assert comparison.reasons == ["born in the same year (2011); the exact date is not known"]


def test_day_and_month_typed_the_wrong_way_round_are_noticed():
    comparison = compare_dates_of_birth(date(2010, 4, 3), "exact", date(2010, 3, 4), "exact")
    assert comparison.reasons == ["date of birth with day and month swapped"]


def test_an_estimated_date_of_birth_matches_within_a_year():
    assert compare_dates_of_birth(date(2010, 6, 1), "estimated", date(2011, 2, 1), "exact").similarity > 0
    assert compare_dates_of_birth(date(2010, 6, 1), "estimated", date(2012, 2, 1), "exact").similarity == 0


def test_postcode_matches_fully_or_by_sector():
    record = CandidateRecord("Amy", "Shaw", postcodes=("CW1 2AB",))
    assert "has lived at the same postcode (CW1 2AB)" in score_candidate(SearchTerms(postcode="cw12ab"), record).reasons
    assert (
        "has lived in the same postcode sector (CW1 2)"
        in score_candidate(SearchTerms(postcode="CW1 2XY"), record).reasons
    )


def test_a_shared_identifier_is_strong_evidence_even_with_a_different_name():
    record = CandidateRecord("Amelia", "Shaw", identifier_match=True)
    result = score_candidate(SearchTerms("Amy", "Jones", identifier="9434765919"), record, VARIANTS)
    assert result.score >= 0.9
    assert "same identifier" in result.reasons


def test_scores_stay_between_zero_and_one():
    record = CandidateRecord(
        "Jonathan",
        "Smith",
        aliases=(("Jonny Smith", "Nickname"),),
        date_of_birth=date(2010, 3, 4),
        postcodes=("CW1 2AB",),
        identifier_match=True,
        phone_match=True,
    )
    result = score_candidate(
        SearchTerms("Jonny", "Smith", date(2010, 3, 4), postcode="CW1 2AB", identifier="x", phone="y"), record, VARIANTS
    )
    assert 0 <= result.score <= 1
    assert score_candidate(SearchTerms(), record).score == 0
