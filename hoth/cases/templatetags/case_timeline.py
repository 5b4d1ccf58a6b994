"""The MOJ timeline's items, built in Python: a case may hold hundreds of
events and the template engine is the slowest part of the case page."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _title(event):
    if event.url:
        return format_html('<a class="govuk-link" href="{}">{}</a>', event.url, event.title)
    return event.title


@register.simple_tag
def timeline_items(events):
    return format_html_join("\n", (
        '<div class="moj-timeline__item"><div class="moj-timeline__header">'
        '<h3 class="moj-timeline__title">{}</h3>{}</div>'
        '<p class="moj-timeline__date"><time datetime="{}">{}</time></p>{}</div>'), (
        (_title(e),
         format_html('<p class="moj-timeline__byline">by {}</p>', e.agency) if e.agency else "",
         e.iso, e.when,
         format_html('<div class="moj-timeline__description"><p class="govuk-body">{}</p></div>', e.description)
         if e.description else "")
        for e in events))
