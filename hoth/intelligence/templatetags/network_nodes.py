"""A subject of the network as the pages name it: a link to its profile, its
reference, and tags for concern and High level. A tag rather than an
included template: a hub's page names hundreds of subjects, and an include
per name costs more than the rest of the page."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from hoth.screening.models import LEVEL_ORDER

register = template.Library()

HIGH = LEVEL_ORDER[-1].label
CONCERN_TAG = ' <strong class="govuk-tag govuk-tag--red">Of concern</strong>'
HIGH_TAG = ' <strong class="govuk-tag govuk-tag--orange">High</strong>'


@register.simple_tag
def node_link(node):
    tags = (CONCERN_TAG if node.of_concern else "") + (HIGH_TAG if node.level_name == HIGH else "")
    return format_html(
        '<a class="govuk-link" href="{}">{}</a> <span class="govuk-body-s hoth-muted">{}</span>{}',
        reverse("subjects:profile", args=[node.reference]),
        node.label,
        node.reference,
        mark_safe(tags),
    )  # noqa: S308  two constant strings
