"""The MOJ timeline's items, built in Python: a case may hold hundreds of
events, and both the template engine and format_html cost more than the rest
of the case page put together at that size. Every value is escaped with the
standard library's html.escape before it joins the markup."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _item(event):
    title = escape(event.title)
    if event.url:
        title = f'<a class="govuk-link" href="{escape(event.url)}">{title}</a>'
    byline = f'<p class="moj-timeline__byline">by {escape(event.agency)}</p>' if event.agency else ""
    description = (
        f'<div class="moj-timeline__description"><p class="govuk-body">{escape(event.description)}</p></div>'
        if event.description
        else ""
    )
    return (
        f'<div class="moj-timeline__item"><div class="moj-timeline__header">'
        f'<h3 class="moj-timeline__title">{title}</h3>{byline}</div>'
        f'<p class="moj-timeline__date"><time datetime="{event.iso}">{escape(event.when)}</time></p>'
        f"{description}</div>"
    )


@register.simple_tag
def timeline_items(events):
    return mark_safe("\n".join(_item(e) for e in events))
