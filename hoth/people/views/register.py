"""Pages of the person register: search, search before create, the record,
edits, change history and break-glass access."""

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.access.models import BreakGlass
from hoth.audit import log
from hoth.people import other_agencies, services
from hoth.people.forms import register as forms
from hoth.people.models import DobPrecision, FieldChange, Identifier, Involvement, Person
from hoth.people.search import LIKELY_MATCH, make_terms, score_people, search_people

CREATE_SESSION_KEY = "people:new-person"
# Where search-before-create returns to when another flow (a referral) sent the
# user here: only a path inside the service, never another site.
CREATE_NEXT_KEY = "people:new-person-next"
NEXT_PREFIXES = ("/referrals/",)


def _safe_next(value):
    value = value or ""
    if value.startswith(NEXT_PREFIXES) and url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return value
    return ""


def _with_person(next_url, person_reference):
    return f"{next_url}?{urlencode({'person': person_reference})}"


def _visible_person(request, reference, people=None):
    """The person if this user may see them. Otherwise break-glass for casework
    roles who could ask, a plain 403 for everyone else, 404 if nobody has that
    reference."""
    people = people if people is not None else Person.objects.select_related("school")
    person = people.visible_to(request.user).filter(reference=reference).first()
    if person is not None:
        policy.check(request.user, "person.view", person)
        return person, None
    hidden = Person.objects.filter(reference=reference).first()
    if hidden is None:
        raise Http404("No person with that reference")
    if policy.can(request.user, "person.break_glass", hidden):
        return None, hidden
    raise PermissionDenied("person.view")


def _break_glass_page(request, person, form=None, status=403, action=None):
    log.record("access_denied", request=request, obj=person, detail={"offered": "break_glass"})
    return render(
        request,
        "people/break_glass.html",
        {
            "form": form or forms.BreakGlassForm(),
            "action": action or reverse("people:break-glass", args=[person.reference]),
        },
        status=status,
    )


# ---------------------------------------------------------------- search


@allowed("person.search")
def search(request):
    form = forms.SearchForm(request.GET or None)
    matches = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        matches = search_people(
            request.user,
            name=data["name"],
            date_of_birth=data["date_of_birth"],
            postcode=data["postcode"],
            identifier=data["identifier"],
            phone=data["phone"],
        )
        ids = [m.person.pk for m in matches]
        query = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items() if v}
        # `people` indexes everyone shown, so their "who has seen this record" includes this search.
        log.record("search", request=request, detail={"query": query, "ids": ids}, people=ids)
    return render(
        request,
        "people/search.html",
        {
            "form": form,
            "matches": matches,
            "can_create": policy.can(request.user, "person.create"),
        },
    )


# ---------------------------------------------------------------- search before create


def _terms_from_session(stored):
    return make_terms(
        name=f"{stored['given_names']} {stored['family_name']}",
        date_of_birth=date.fromisoformat(stored["date_of_birth"]) if stored.get("date_of_birth") else None,
        dob_precision=stored.get("dob_precision") or DobPrecision.EXACT,
        postcode=stored.get("postcode", ""),
    )


def _visible_matches(request, stored):
    terms = _terms_from_session(stored)
    return score_people(Person.objects.visible_to(request.user), terms, min_score=LIKELY_MATCH, limit=20)


def _check_other_agencies(request, stored):
    """The one check of records the user cannot see, made once per search:
    what it found is kept with the search in the session, so showing the page
    again (a form error) does not count as another check."""
    result = other_agencies.check(request.user, _terms_from_session(stored))
    stored["other_agencies"] = {
        "checked": result.checked,
        "not_checked_because": result.not_checked_because,
        "paused_until": result.paused_until.isoformat() if result.paused_until else "",
        "found": len(result.found),
        "ask_access": other_agencies.offer_access(request.session, request.user, result.found),
    }
    return result


def _render_matches(request, stored, visible, confirm_form=None):
    hidden = stored["other_agencies"]
    paused_until = datetime.fromisoformat(hidden["paused_until"]) if hidden["paused_until"] else None
    searched = Person(
        date_of_birth=date.fromisoformat(stored["date_of_birth"]) if stored.get("date_of_birth") else None,
        dob_precision=stored.get("dob_precision") or DobPrecision.EXACT,
    )
    return render(
        request,
        "people/create_matches.html",
        {
            "stored": stored,
            "searched_dob": searched.dob_display if searched.date_of_birth else "",
            "matches": visible,
            "hidden": hidden,
            "paused_until": paused_until,
            "form": confirm_form or forms.ConfirmNewPersonForm(),
            "next_url": request.session.get(CREATE_NEXT_KEY, ""),
        },
    )


@allowed("person.create")
def create(request):
    """Step one: who are you recording? Then the likely matches, before anything is created."""
    if request.method == "POST":
        form = forms.FindBeforeCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            stored = {
                "given_names": data["given_names"].strip(),
                "family_name": data["family_name"].strip(),
                "date_of_birth": data["date_of_birth"].isoformat() if data["date_of_birth"] else "",
                "dob_precision": data["dob_precision"],
                "postcode": data["postcode"],
                "confirmed": False,
            }
            visible = _visible_matches(request, stored)
            hidden = _check_other_agencies(request, stored)
            ids = [m.person.pk for m in visible]
            query = {k: v for k, v in stored.items() if v and k in forms.FindBeforeCreateForm.base_fields}
            log.record(
                "search",
                request=request,
                people=ids,
                detail={
                    "query": query,
                    "ids": ids,
                    "purpose": other_agencies.PURPOSE,
                    **other_agencies.audit_detail(hidden),
                },
            )
            if hidden.found:
                other_agencies.tell_coordinators_of_repeated_finds(request.user)
            request.session[CREATE_SESSION_KEY] = stored
            if not visible and hidden.checked and not hidden.found:
                stored["confirmed"] = True
                request.session[CREATE_SESSION_KEY] = stored
                return redirect("people:create-details")
            return _render_matches(request, stored, visible)
    else:
        form = forms.FindBeforeCreateForm()
        next_url = _safe_next(request.GET.get("next"))
        if next_url:
            request.session[CREATE_NEXT_KEY] = next_url
        else:
            request.session.pop(CREATE_NEXT_KEY, None)
    return render(request, "people/create_find.html", {"form": form})


@allowed("person.create")
@require_POST
def create_confirm(request):
    stored = request.session.get(CREATE_SESSION_KEY)
    if not stored or "other_agencies" not in stored:
        return redirect("people:create")
    if stored["other_agencies"]["not_checked_because"] == "paused":
        # Without the check a child another agency knows could get a second record.
        return redirect("people:create")
    form = forms.ConfirmNewPersonForm(request.POST)
    if not form.is_valid():
        visible = _visible_matches(request, stored)
        log.record(
            "search",
            request=request,
            people=[m.person.pk for m in visible],
            detail={"ids": [m.person.pk for m in visible], "purpose": other_agencies.PURPOSE, "shown_again": True},
        )
        return _render_matches(request, stored, visible, confirm_form=form)
    stored["confirmed"] = True
    request.session[CREATE_SESSION_KEY] = stored
    return redirect("people:create-details")


@allowed("person.create")
def create_ask_access(request, token):
    """Emergency access to a possible match found in another agency's records,
    reached through a token shown once: the record's reference is never on
    the page until access is granted."""
    person = other_agencies.person_for_token(request.session, token)
    if person is None or not policy.can(request.user, "person.break_glass", person):
        raise Http404("This link has expired. Search again before you record the person.")
    action = reverse("people:create-ask-access", args=[token])
    if request.method == "POST":
        form = forms.BreakGlassForm(request.POST)
        if form.is_valid():
            other_agencies.spend_token(request.session, token)
            services.break_glass(request.user, person, form.cleaned_data["reason"], audit=request.audit)
            return redirect("people:detail", person.reference)
        return render(request, "people/break_glass.html", {"form": form, "action": action}, status=403)
    return _break_glass_page(request, person, action=action)


@allowed("person.create")
def create_details(request):
    stored = request.session.get(CREATE_SESSION_KEY)
    if not stored or not stored.get("confirmed"):
        # Nobody records a person without first looking for them.
        return redirect("people:create")
    if request.method == "POST":
        form = forms.NewPersonForm(request.POST)
        if form.is_valid():
            person = services.create_person(request.user, form.cleaned_data, audit=request.audit)
            del request.session[CREATE_SESSION_KEY]
            messages.success(request, f"{person.full_name} has been recorded ({person.reference})")
            next_url = _safe_next(request.session.pop(CREATE_NEXT_KEY, ""))
            if next_url:
                return redirect(_with_person(next_url, person.reference))
            return redirect("people:detail", person.reference)
    else:
        dob = date.fromisoformat(stored["date_of_birth"]) if stored.get("date_of_birth") else None
        form = forms.NewPersonForm(
            initial={
                "given_names": stored["given_names"],
                "family_name": stored["family_name"],
                "date_of_birth": dob,
                "dob_precision": stored.get("dob_precision") or DobPrecision.EXACT,
                "address_postcode": stored.get("postcode", ""),
            }
        )
    return render(request, "people/create_details.html", {"form": form})


# ---------------------------------------------------------------- the record


def _record_queryset():
    """Everything the record page shows, in a fixed number of queries however
    many addresses, names or professionals there are."""
    now = timezone.now()
    return Person.objects.select_related("school").prefetch_related(
        "aliases",
        "addresses",
        Prefetch("identifiers", queryset=Identifier.objects.select_related("issued_by").order_by("scheme", "value")),
        "phone_numbers",
        "online_handles",
        Prefetch(
            "involvements",
            queryset=Involvement.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
            .select_related("user__agency", "team__agency")
            .order_by("kind", "started_at"),
        ),
    )


@allowed("person.search")
def detail(request, reference):
    person, hidden = _visible_person(request, reference, _record_queryset())
    if hidden is not None:
        return _break_glass_page(request, hidden)
    log.record("view", request=request, obj=person)
    grant = (
        BreakGlass.objects.filter(user=request.user, person=person, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )
    access_history_url = None
    if policy.can(request.user, "person.view_access_history", person):
        try:
            access_history_url = reverse("audit:person-access", args=[person.reference])
        except NoReverseMatch:
            access_history_url = None
    addresses = list(person.addresses.all())
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "current_addresses": [a for a in addresses if a.is_current],
            "previous_addresses": [a for a in addresses if not a.is_current],
            "break_glass": grant,
            "access_history_url": access_history_url,
            "can_update": policy.can(request.user, "person.update", person),
        },
    )


@allowed("person.search")
@require_POST
def break_glass(request, reference):
    person, hidden = _visible_person(request, reference)
    if person is not None:
        return redirect("people:detail", reference)
    form = forms.BreakGlassForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "people/break_glass.html",
            {"form": form, "action": reverse("people:break-glass", args=[reference])},
            status=403,
        )
    services.break_glass(request.user, hidden, form.cleaned_data["reason"], audit=request.audit)
    return redirect("people:detail", reference)


@allowed("person.search")
def history(request, reference):
    person, hidden = _visible_person(request, reference)
    if hidden is not None:
        return _break_glass_page(request, hidden)
    changes = list(FieldChange.objects.filter(person=person).select_related("changed_by__agency"))
    log.record("view", request=request, obj=person, detail={"page": "change history"})
    return render(request, "people/history.html", {"person": person, "changes": changes})


# ---------------------------------------------------------------- edits


def _editable_person(request, reference):
    person, hidden = _visible_person(request, reference)
    if hidden is not None:
        raise PermissionDenied("person.update")
    policy.check(request.user, "person.update", person)
    return person


@allowed("person.create")
def edit(request, reference):
    person = _editable_person(request, reference)
    if request.method == "POST":
        form = forms.PersonForm(request.POST)
        if form.is_valid():
            changes = services.update_person(request.user, person, form.cleaned_data, audit=request.audit)
            messages.success(
                request,
                f"{len(changes)} change{'s' if len(changes) != 1 else ''} saved" if changes else "Nothing was changed",
            )
            return redirect("people:detail", person.reference)
    else:
        initial = {f: getattr(person, f) for f in services.PERSON_FIELDS if f != "school_id"}
        initial["school"] = person.school_id
        form = forms.PersonForm(initial=initial)
    log.record("view", request=request, obj=person, detail={"page": "edit"})
    return render(request, "people/edit.html", {"person": person, "form": form})


ADD_FORMS = {
    "alias": (forms.AliasForm, "Add a name they are known by"),
    "address": (forms.AddressForm, "Add a new address"),
    "identifier": (forms.IdentifierForm, "Add a reference number"),
    "phone": (forms.PhoneForm, "Add a phone number"),
    "handle": (forms.HandleForm, "Add an online account"),
}


def _apply(kind, request, person, data):
    user = request.user
    if kind == "alias":
        return services.add_alias(user, person, name=data["name"], kind=data["kind"], audit=request.audit)
    if kind == "address":
        return services.move_address(
            user,
            person,
            line1=data["line1"],
            line2=data["line2"],
            town=data["town"],
            postcode=data["postcode"],
            valid_from=data["valid_from"],
            audit=request.audit,
        )
    if kind == "identifier":
        return services.add_identifier(user, person, scheme=data["scheme"], value=data["value"], audit=request.audit)
    if kind == "phone":
        return services.add_phone(user, person, e164=data["number"], label=data["label"], audit=request.audit)
    return services.add_handle(user, person, platform=data["platform"], handle=data["handle"], audit=request.audit)


@allowed("person.create")
def add_detail(request, reference, kind):
    person = _editable_person(request, reference)
    form_class, heading = ADD_FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _apply(kind, request, person, form.cleaned_data)
        messages.success(request, "Saved")
        return redirect("people:detail", person.reference)
    log.record("view", request=request, obj=person, detail={"page": f"add {kind}"})
    return render(request, "people/add_detail.html", {"person": person, "form": form, "heading": heading})


@allowed("person.create")
def remove_detail(request, reference, kind, pk):
    if kind not in services.REMOVABLE:
        raise Http404("Nothing of that kind can be removed")
    person = _editable_person(request, reference)
    model, _ = services.REMOVABLE[kind]
    item = model.objects.filter(person=person, pk=pk).first()
    if item is None:
        raise Http404("Not recorded for this person")
    if request.method == "POST":
        services.remove_detail(request.user, person, kind, pk, audit=request.audit)
        messages.success(request, "Removed. It stays in the change history.")
        return redirect("people:detail", person.reference)
    log.record("view", request=request, obj=person, detail={"page": f"remove {kind}"})
    return render(request, "people/remove_detail.html", {"person": person, "item": item, "kind": kind})
