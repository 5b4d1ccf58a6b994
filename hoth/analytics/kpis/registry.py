"""Every calculation by its name, the name a measure's definition gives in
reference data (hoth/insight/fixtures/measures.json)."""

from . import early_identification, partnership, pursue, repeat_harm, timeliness, wellbeing
from .calculation import Calculation

THEMES = (early_identification, timeliness, repeat_harm, wellbeing, pursue, partnership)

CALCULATIONS: dict[str, Calculation] = {
    found.name: found
    for theme in THEMES
    for found in vars(theme).values()
    if isinstance(found, Calculation) and found.function.__module__ == theme.__name__
}
