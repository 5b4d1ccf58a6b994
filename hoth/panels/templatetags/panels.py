"""Tags for screening levels and clocks: a colour never carries meaning the
words do not already carry."""

from django import template

from hoth.screening.models import Level

register = template.Library()

LEVEL_COLOURS = {Level.HIGH: "red", Level.MEDIUM: "orange", Level.LOW: "yellow", Level.NONE: "grey"}


@register.filter
def level_label(code):
    if not code:
        return "Not screened"
    try:
        return Level(code).label
    except ValueError:
        return code


@register.filter
def level_colour(code):
    return LEVEL_COLOURS.get(code, "grey")
