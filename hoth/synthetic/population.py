"""A synthetic child population for the demonstration's disproportionality
figures: NOT the Office for National Statistics' estimates. It is made from
the same ingredients as the generated people (the towns' sizes and the
Census 2021 ethnic mix of hoth.synthetic.data), so that a group is over- or
under-represented in the figures only where the generator put it there."""

from . import data

# Roughly the number of children under 18 living in Cheshire East.
CHILDREN = 80_000
SOURCE = "Synthetic child population for the demonstration, consistent with its generator (not ONS figures)"
AGES = range(18)


def rows(year: int) -> list[tuple]:
    """(year, town, age, sex, ethnicity, children) for every cell."""
    towns = sum(town.population for town in data.TOWNS)
    mix = sum(share for _, share in data.ETHNICITY_MIX)
    per_town_age_sex = {town.name: CHILDREN * town.population / towns / len(AGES) / 2 for town in data.TOWNS}
    return [
        (year, town, age, sex, ethnicity, round(size * share / mix))
        for town, size in per_town_age_sex.items()
        for age in AGES
        for sex in ("F", "M")
        for ethnicity, share in data.ETHNICITY_MIX
    ]
