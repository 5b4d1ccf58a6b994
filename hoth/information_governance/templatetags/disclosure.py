"""Drawing a disclosure's text with its black boxes, once for every page and
the PDF: `{% redacted parts %}`, or `{% redacted parts sar.reference %}` on
the officer's pages, where each box links to the redaction behind it."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

register = template.Library()


def _box(part, reference):
    code = part["redacted"] or "?"
    if reference and part.get("redaction"):
        url = reverse("subject_access:redaction", args=[reference, part["redaction"]])
        return format_html(
            '<a class="hoth-redaction" href="{}"><span class="govuk-visually-hidden">Redacted '
            "(change redaction {}), reason </span>{}</a>",
            url,
            part["redaction"],
            code,
        )
    return format_html(
        '<span class="hoth-redaction"><span class="govuk-visually-hidden">Redacted, reason </span>{}</span>', code
    )


@register.simple_tag
def redacted(parts, reference=""):
    return format_html_join("", "{}", ((_box(p, reference) if "redacted" in p else p["text"],) for p in parts))
