"""The sub-navigation shared by the intelligence, subjects, links and network pages."""

from django import template

from hoth.access import policy

register = template.Library()


@register.inclusion_tag("intelligence/_nav.html", takes_context=True)
def intelligence_nav(context, section):
    user = context["request"].user
    return {
        "section": section,
        "perms_subjects": policy.can(user, "subject.view"),
        "perms_links": policy.can(user, "link.decide"),
        "perms_profiles": policy.can(user, "problem_profile.export"),
        "perms_disruption": policy.can(user, "disruption.view"),
    }
