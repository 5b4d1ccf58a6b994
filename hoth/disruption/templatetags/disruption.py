"""Small pieces the disruption pages share: the status tag's colour and the
words for a change in screening level."""

from django import template

from hoth.analytics.screening import LEVEL_WORDS

from .. import flow

register = template.Library()

TAG_COLOURS = {
    flow.PLANNED: "grey",
    flow.APPLIED: "blue",
    flow.IN_FORCE: "green",
    flow.REFUSED: "red",
    flow.EXPIRED: "grey",
    flow.DISCHARGED: "grey",
    flow.COMPLETED: "purple",
    flow.WITHDRAWN: "grey",
}
CHANGES = {"lower": "Lower", "higher": "Higher", "same": "The same", "unknown": "Not known"}


@register.filter
def status_colour(status):
    return TAG_COLOURS.get(status, "grey")


@register.filter
def level_label(level):
    return LEVEL_WORDS.get(level, "Not screened")


@register.filter
def change_label(change):
    return CHANGES.get(change, "Not known")
