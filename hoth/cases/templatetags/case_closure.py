"""The closure of a case on its page: why and when it closed, who closed it,
the outcome summary and, for a move or turning 18, what was handed on.

A tag rather than view code: the case page's view belongs to the case
summary and timeline, and the closure costs one query of its own."""

from django import template

from hoth.access import policy

from ..transfer import is_transfer, latest_closure

register = template.Library()


@register.inclusion_tag("cases/_closure.html", takes_context=True)
def case_closure(context, case):
    closure = latest_closure(case)
    user = context["request"].user
    return {
        "case": case,
        "closure": closure,
        # The printable summary is for whoever hands the child over (case.edit).
        "can_print_transfer": is_transfer(case, closure) and policy.can(user, "case.edit", case),
    }
