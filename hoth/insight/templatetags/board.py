"""Figures as the board reads them: in the measure's unit, or [c] where
disclosure control hides them."""

from django import template

from hoth.analytics.suppression import SUPPRESSED

from ..selectors import group_label as label_of

register = template.Library()

NOTHING_COUNTED = "None counted"


@register.simple_tag
def figure_value(measure, figure):
    if figure is None:
        return ""
    if figure.shown_value is not None:
        return measure.figure(figure.shown_value)
    if figure.units_shown and figure.units == 0:
        return NOTHING_COUNTED
    return SUPPRESSED


@register.simple_tag
def figure_units(figure):
    if figure is None:
        return ""
    return f"{figure.units:,}" if figure.units_shown else SUPPRESSED


@register.simple_tag
def chart_value(figure):
    """The number a chart draws, or nothing where the figure is not shown."""
    value = figure.shown_value if figure is not None else None
    return "" if value is None else f"{value:.4g}"


@register.simple_tag(name="group_label")
def group_label(trend, group):
    return label_of(trend.grouped_by, group)
