"""Pages where system administrators extend the person register's reference
data: the name variant groups that let a search for Bill find William.

Reference data is data (DESIGN.md rule 3): the published list is loaded by
`manage.py load_reference_data`, and these pages add to it, change it and
switch groups off and on. A group an administrator has changed loses its
fixture version, which is how the loader knows to leave it alone; switching a
group off keeps its version, as the loader never switches a group back on.

Every change is one transaction, writes one audit event and clears the cached
groups that search reads, so that it takes effect at once in this process (and
within the cache's few minutes in the others).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.people.forms.reference import (
    ConfirmForm,
    NameVariantGroupForm,
    NameVariantSearchForm,
    SwitchOnForm,
    key,
    normalise,
)
from hoth.people.models import NameVariantGroup
from hoth.people.name_variants import ACTION, add_group, change_group, set_active

PAGE_SIZE = 50


# ---------------------------------------------------------------- pages


def _group(request, pk):
    group = get_object_or_404(NameVariantGroup, pk=pk)
    policy.check(request.user, ACTION, group)
    return group


@allowed(ACTION)
@require_http_methods(["GET"])
def name_variants(request):
    form = NameVariantSearchForm(request.GET or None)
    query = normalise(form.cleaned_data["q"]) if form.is_valid() else ""
    groups = list(NameVariantGroup.objects.all())
    if query:
        # A few hundred short rows: matching in Python works the same on every
        # database, where a search inside JSON would not.
        groups = [g for g in groups if any(key(query) in key(n) for n in (g.name, *g.variants))]
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    for group in page.object_list:
        group.other_names = [v for v in group.variants if key(v) != key(group.name)]
    return render(
        request,
        "reference/name_variants.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "total": NameVariantGroup.objects.count(),
        },
    )


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def name_variant_create(request):
    form = NameVariantGroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        group = add_group(request.user, form.cleaned_data["name"], form.cleaned_data["variants"], audit=request.audit)
        messages.success(request, f"Name variant group for {group.name} added")
        return redirect("reference:name-variants")
    return render(request, "reference/name_variant_form.html", {"form": form, "group": None})


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def name_variant_edit(request, pk):
    group = _group(request, pk)
    form = NameVariantGroupForm(request.POST if request.method == "POST" else None, group=group)
    if request.method == "POST" and form.is_valid():
        group = change_group(
            request.user, group, form.cleaned_data["name"], form.cleaned_data["variants"], audit=request.audit
        )
        messages.success(request, f"Name variant group for {group.name} changed")
        return redirect("reference:name-variants")
    return render(request, "reference/name_variant_form.html", {"form": form, "group": group})


def _switch(request, pk, active):
    group = _group(request, pk)
    back = reverse("reference:name-variants")
    if group.is_active == active:
        return redirect(back)
    data = request.POST if request.method == "POST" else None
    form = SwitchOnForm(data, group=group) if active else ConfirmForm(data)
    if request.method == "POST" and form.is_valid():
        set_active(request.user, group, active, audit=request.audit)
        messages.success(request, f"Name variant group for {group.name} switched {'on' if active else 'off'}")
        return redirect(back)
    return render(
        request,
        "reference/name_variant_switch.html",
        {
            "form": form,
            "group": group,
            "active": active,
            "back": back,
        },
    )


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def name_variant_switch_off(request, pk):
    return _switch(request, pk, False)


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def name_variant_switch_on(request, pk):
    return _switch(request, pk, True)
