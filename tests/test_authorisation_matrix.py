"""The authorisation matrix: every route of the project, for every role and
for someone not signed in, against a table of who may use it.

The expectations below are written from the rules in hoth/access/policy.py and
the role rules of issue 2, not from what the views happen to do. A new route
without an entry in RULES fails `test_every_route_has_an_authorisation_rule`
until its author writes down who may use it.

"Allowed" means a 2xx answer, or a redirect anywhere but the sign-in pages (a
400 or 422 from the API also counts: the request got past the gate to the
input checks). "Denied" means 401, 403 or 404, or a redirect to sign in.
"""

from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.permissions import AllowAny

from hoth.accounts.models import ApiToken, Role
from hoth.api.authentication import hash_secret
from hoth.api.permissions import PolicyGate
from hoth.audit.models import AuditEvent
from hoth.notifications.models import Notification
from hoth.people.models import Alias, Involvement, Person
from tests.conftest import make_user
from tests.matrix import area_rules
from tests.matrix.common import (
    ADMINISTRATORS,
    ANONYMOUS,
    AUDITORS,
    CASEWORK,
    EVERYONE,
    EVERYONE_SIGNED_IN,
    IN_SCOPE,
    NOBODY,
    OUT_OF_SCOPE,
    PARTNERSHIP_WIDE,
    PUBLIC,
    RECORDERS,
    ROLES,
    SYSTEM_ADMINISTRATORS,
    Rule,
)

# ----------------------------------------------------------------- URL kwargs


def person_reference(world, user, scope):
    return {"reference": world[scope].reference}


def person_alias(world, user, scope):
    person = world[scope]
    return {"reference": person.reference, "kind": "alias", "pk": person.aliases.get().pk}


def own_notification(world, user, scope):
    """In scope: the signed-in user's own notification; out of scope: someone else's."""
    owner = user if scope == IN_SCOPE and user is not None else world["someone_else"]
    return {"pk": Notification.objects.create(user=owner, subject="A new task for you").pk}


def managed_user(world, user, scope):
    """In scope: an account in the agency administrator's own agency (the
    school); out of scope: one in another agency."""
    return {"pk": world["accounts"][scope].pk}


def service_account(world, user, scope):
    return {"pk": world["service_accounts"][scope].pk}


def service_token(world, user, scope):
    return {"pk": world["tokens"][scope].pk}


def any_agency(world, user, scope):
    return {"pk": world["accounts"][IN_SCOPE].agency_id}


def any_team(world, user, scope):
    return {"pk": world["team"].pk}


def reset_link(world, user, scope):
    return {"uidb64": "MTIzNDU2", "token": "set-password"}


def name_variant_group(world, user, scope, active=True):
    from hoth.people.models import NameVariantGroup

    group, _ = NameVariantGroup.objects.update_or_create(
        name="Oluwaseun", defaults={"variants": ["Oluwaseun", "Seun"], "is_active": active}
    )
    return {"pk": group.pk}


def switched_off_name_variant_group(world, user, scope):
    return name_variant_group(world, user, scope, active=False)


RULES = {
    # home.view: every signed-in user has a home page.
    "home": Rule(allowed=EVERYONE_SIGNED_IN),
    # The sign-in flow is open to all.
    "accounts:sign-in": PUBLIC,
    "accounts:second-factor": PUBLIC,
    "accounts:recovery-code": PUBLIC,
    "accounts:enrol": PUBLIC,
    "accounts:sign-out": Rule(allowed=EVERYONE, public=True, method="POST"),
    "accounts:password-reset": PUBLIC,
    "accounts:password-reset-done": PUBLIC,
    "accounts:password-reset-complete": PUBLIC,
    "accounts:password-reset-confirm": Rule(allowed=EVERYONE, public=True, kwargs=reset_link),
    # home.view; each user opens only their own notifications.
    "notifications:list": Rule(allowed=EVERYONE_SIGNED_IN),
    "notifications:open": Rule(allowed=EVERYONE_SIGNED_IN, out_of_scope=NOBODY, kwargs=own_notification),
    # person.search: casework roles search within what they may see.
    "people:search": Rule(allowed=CASEWORK),
    # person.create.
    "people:create": Rule(allowed=RECORDERS),
    "people:create-confirm": Rule(allowed=RECORDERS, method="POST"),
    "people:create-details": Rule(allowed=RECORDERS),
    # A possible match's access link works only in the session that was shown
    # it (tests/people/test_create.py); the matrix's sessions were shown none.
    "people:create-ask-access": Rule(allowed=NOBODY, kwargs=lambda world, user, scope: {"token": "never-shown"}),
    # person.view: casework roles, for people in their scope.
    "people:detail": Rule(allowed=CASEWORK, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_reference),
    "people:history": Rule(allowed=CASEWORK, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_reference),
    # person.break_glass: casework roles may ask for a record outside their
    # scope; asking for one already in scope just leads back to it.
    "people:break-glass": Rule(
        allowed=CASEWORK,
        out_of_scope=CASEWORK,
        kwargs=person_reference,
        method="POST",
        data={"reason": "Missing overnight; police need her photograph and school now"},
    ),
    # person.update: recorders, for people in their scope.
    "people:edit": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_reference),
    "people:add-alias": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_reference),
    "people:add-address": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_reference),
    "people:add-identifier": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_reference),
    "people:add-phone": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_reference),
    "people:add-handle": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_reference),
    "people:remove": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_alias),
    # audit.search: auditors only.
    "audit:search": Rule(allowed=AUDITORS),
    "audit:export": Rule(allowed=AUDITORS),
    # person.view_access_history: auditors for anyone; casework roles for people
    # they see and lead on (the practitioner is the in-scope child's lead
    # professional) or coordinate.
    "audit:person-access": Rule(
        allowed=AUDITORS | PARTNERSHIP_WIDE | {Role.PRACTITIONER},
        out_of_scope=AUDITORS | PARTNERSHIP_WIDE,
        kwargs=person_reference,
    ),
    # user.manage: administrators; an agency administrator only within their agency.
    "manage:users": Rule(allowed=ADMINISTRATORS),
    "manage:user-create": Rule(allowed=ADMINISTRATORS),
    "manage:user": Rule(allowed=ADMINISTRATORS, out_of_scope=SYSTEM_ADMINISTRATORS, kwargs=managed_user),
    "manage:user-edit": Rule(allowed=ADMINISTRATORS, out_of_scope=SYSTEM_ADMINISTRATORS, kwargs=managed_user),
    "manage:user-deactivate": Rule(allowed=ADMINISTRATORS, out_of_scope=SYSTEM_ADMINISTRATORS, kwargs=managed_user),
    "manage:user-reactivate": Rule(allowed=ADMINISTRATORS, out_of_scope=SYSTEM_ADMINISTRATORS, kwargs=managed_user),
    "manage:user-reset-second-factor": Rule(
        allowed=ADMINISTRATORS, out_of_scope=SYSTEM_ADMINISTRATORS, kwargs=managed_user
    ),
    "manage:user-unlock": Rule(allowed=ADMINISTRATORS, out_of_scope=SYSTEM_ADMINISTRATORS, kwargs=managed_user),
    # api_token.manage: as user.manage, for partner systems' accounts and tokens.
    "manage:service-accounts": Rule(allowed=ADMINISTRATORS),
    "manage:service-account-create": Rule(allowed=ADMINISTRATORS),
    "manage:service-account": Rule(allowed=ADMINISTRATORS, out_of_scope=SYSTEM_ADMINISTRATORS, kwargs=service_account),
    "manage:token-create": Rule(allowed=ADMINISTRATORS, out_of_scope=SYSTEM_ADMINISTRATORS, kwargs=service_account),
    "manage:token-revoke": Rule(allowed=ADMINISTRATORS, out_of_scope=SYSTEM_ADMINISTRATORS, kwargs=service_token),
    # agency.manage: system administrators only (agencies and their teams).
    "manage:agencies": Rule(allowed=SYSTEM_ADMINISTRATORS),
    "manage:agency-create": Rule(allowed=SYSTEM_ADMINISTRATORS),
    "manage:agency-edit": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=any_agency),
    "manage:team-create": Rule(allowed=SYSTEM_ADMINISTRATORS),
    "manage:team-edit": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=any_team),
    # reference_data.manage: system administrators only (name variant groups).
    "reference:name-variants": Rule(allowed=SYSTEM_ADMINISTRATORS),
    "reference:name-variant-create": Rule(allowed=SYSTEM_ADMINISTRATORS),
    "reference:name-variant-edit": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=name_variant_group),
    "reference:name-variant-switch-off": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=name_variant_group),
    "reference:name-variant-switch-on": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=switched_off_name_variant_group),
    # The API reference describes endpoints, not people.
    "api:schema": PUBLIC,
    "api:docs": PUBLIC,
    # The persons API asks the same rules as the pages.
    "api:persons": (
        Rule(allowed=CASEWORK),
        Rule(allowed=RECORDERS, method="POST", json=True, data={"given_names": "Amy", "family_name": "Lowe"}),
    ),
    "api:person-detail": Rule(allowed=CASEWORK, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_reference),
}
# The front door and later areas keep their tables in tests/matrix/.
_clash = RULES.keys() & area_rules().keys()
assert not _clash, f"routes with rules here and in tests/matrix: {sorted(_clash)}"
RULES.update(area_rules())


# ----------------------------------------------------------------- the routes


def _walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner)
        elif isinstance(entry, URLPattern):
            if str(entry.pattern).startswith(("static/", "^static/", "media/")):
                continue
            yield (f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry.pattern}>"), entry


ROUTES = dict(_walk(get_resolver()))


def _rules(name):
    rules = RULES.get(name, ())
    return rules if isinstance(rules, tuple) else (rules,)


def _cases():
    for name in sorted(ROUTES):
        for rule in _rules(name):
            scopes = [IN_SCOPE] if rule.out_of_scope is None else [IN_SCOPE, OUT_OF_SCOPE]
            for scope in scopes:
                for role in ROLES + [ANONYMOUS]:
                    yield pytest.param(name, rule, role, scope, id=f"{name} {rule.method} as {role} {scope}")


# ----------------------------------------------------------------- the world


@pytest.fixture
def world(users, agencies, team):
    """An in-scope child every user is involved with, who is also named in
    intelligence (so in an analyst's scope); and a child nobody works with.
    Involvement gives sight only to the roles the policy says it does."""
    in_scope = Person.objects.create(given_names="Kayleigh", family_name="Brennan", intelligence_subject=True)
    out_of_scope = Person.objects.create(given_names="Jade", family_name="Pritchard")
    for key, user in users.items():
        kind = Involvement.Kind.LEAD_PROFESSIONAL if key == "practitioner" else Involvement.Kind.ASSIGNED
        if key != "school_practitioner":
            Involvement.objects.create(person=in_scope, user=user, kind=kind)
    for person in (in_scope, out_of_scope):
        Alias.objects.create(person=person, name="Kay")
    # The agency administrator works for the school; the police are another agency.
    systems = {
        IN_SCOPE: make_user(
            "mis@school.example", agencies["school"], Role.PRACTITIONER, is_service_account=True, enrol=False
        ),
        OUT_OF_SCOPE: make_user(
            "records@police.example", agencies["police"], Role.PRACTITIONER, is_service_account=True, enrol=False
        ),
    }
    tokens = {
        scope: ApiToken.objects.create(
            account=account,
            name="Records system",
            prefix=f"matrix{i}",
            secret_hash=hash_secret(f"secret-{i}"),
            scopes=["persons:read"],
        )
        for i, (scope, account) in enumerate(systems.items())
    }
    return {
        IN_SCOPE: in_scope,
        OUT_OF_SCOPE: out_of_scope,
        "someone_else": users["school_practitioner"],
        "accounts": {IN_SCOPE: users["school_practitioner"], OUT_OF_SCOPE: users["coordinator"]},
        "service_accounts": systems,
        "tokens": tokens,
        "team": team,
        # For the area tables in tests/matrix to build their own records from.
        "users": users,
        "agencies": agencies,
    }


SIGN_IN_PATHS = ("/account/sign-in", "/account/set-up-authenticator")


def outcome(response):
    status = response.status_code
    if status in (401, 403, 404):
        return "denied"
    if 300 <= status < 400:
        return "denied" if urlsplit(response["Location"]).path.startswith(SIGN_IN_PATHS) else "allowed"
    if 200 <= status < 300 or status in (400, 422):
        return "allowed"
    return f"answered {status}"


# ----------------------------------------------------------------- the tests


def test_every_route_has_an_authorisation_rule():
    missing = [name for name in ROUTES if name not in RULES]
    assert not missing, "\n".join(f"add an authorisation rule for {name}" for name in missing)


def test_every_rule_is_for_a_route_that_exists():
    stale = [name for name in RULES if name not in ROUTES]
    assert not stale, f"rules for routes that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_view_declares_its_access(name):
    """Pages carry access_action (from @allowed or @public); API views carry a
    PolicyGate naming the rule and scope for every method they answer."""
    callback = ROUTES[name].callback
    view_class = getattr(callback, "cls", None)
    gates = [p for p in getattr(view_class, "permission_classes", ()) if issubclass(p, PolicyGate)]
    if gates:
        handled = {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)} - {"OPTIONS", "HEAD"}
        unruled = handled - set(gates[0].rules)
        assert not unruled, f"{name}: no policy rule for {sorted(unruled)}"
        return
    assert hasattr(callback, "access_action"), f"{name}: decorate the view with @allowed(...) or @public"
    if view_class is not None:
        permissions = set(getattr(view_class, "permission_classes", ()))
        assert callback.access_action == "public" and permissions == {AllowAny}, (
            f"{name}: an API view needs a PolicyGate among its permission classes"
        )


@pytest.mark.parametrize("name, rule, role, scope", list(_cases()))
def test_authorisation_matrix(name, rule, role, scope, users, world, client, verified_client):
    user = None if role == ANONYMOUS else users[role]
    http = client if user is None else verified_client(user)
    kwargs = rule.kwargs(world, user, scope) if rule.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    send = getattr(http, rule.method.lower())
    events_before = AuditEvent.objects.count()
    try:
        if rule.json:
            response = send(url, rule.data, content_type="application/json")
        else:
            response = send(url, rule.data)
    except Exception as error:  # noqa: BLE001  a crash is reported as the route's failure
        pytest.fail(f"{rule.method} {url} as {role} ({scope}) raised {error!r}")
    expected = rule.allowed if scope == IN_SCOPE else rule.out_of_scope
    got = outcome(response)
    where = f"{rule.method} {url} as {role} ({scope}) answered {response.status_code}"
    if rule.public:
        assert got in ("allowed", "denied") and response.status_code not in (401, 403, 404), (
            f"{where}: an open page refused a visitor"
        )
        return
    want = "allowed" if role in expected else "denied"
    assert got == want, f"{where}: expected {want}"
    if user is not None:
        assert response["Cache-Control"] == "no-store, private", f"{where} may be cached"
    shown = people_shown(response)
    if response.status_code == 200 and shown:
        assert AuditEvent.objects.count() > events_before, (
            f"{where} and showed {', '.join(shown)} without writing an audit event"
        )


# Records named by a reference (a case, a referral, a screening...) are about a
# person: a page that shows one shows that person's data.
REFERENCED = [model for model in apps.get_models() if any(f.name == "reference" for f in model._meta.fields)]


def people_shown(response):
    """The people, and the records about people, whose name or reference the response shows."""
    if response.streaming or not response.get("Content-Type", "").startswith(("text/html", "application/json")):
        return []
    content = response.content.decode(errors="replace")
    shown = [person.full_name for person in Person.objects.all() if person.full_name in content]
    for model in REFERENCED:
        shown += [ref for ref in model.objects.values_list("reference", flat=True) if ref and ref in content]
    return shown
