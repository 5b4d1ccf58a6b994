"""Administration of accounts: users, service accounts and their API tokens,
agencies and teams.

Which accounts an administrator sees comes only from the access policy
(`User.objects.visible_to`), and every change goes through hoth.accounts.services,
which checks the policy again and writes the audit event. Another agency's
account is a 404 here, exactly as it is missing from the list.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.accounts import selectors, services
from hoth.accounts.forms import (
    AgencyForm,
    ConfirmForm,
    ServiceAccountForm,
    TeamForm,
    TokenForm,
    UserFilterForm,
    UserForm,
)
from hoth.accounts.models import Agency, ApiToken, RecoveryCode, RoleAssignment, Team, User
from hoth.audit.log import record

PAGE_SIZE = 50


def _sections(user):
    items = [("Users", reverse("manage:users"), "users")]
    if policy.can(user, "api_token.manage"):
        items.append(("Service accounts", reverse("manage:service-accounts"), "service-accounts"))
    if policy.can(user, "agency.manage"):
        items.append(("Agencies and teams", reverse("manage:agencies"), "agencies"))
    return items


def _render(request, template, context, section, status=200):
    context = {**context, "sections": _sections(request.user), "section": section}
    return render(request, template, context, status=status)


ACCOUNTS = User.objects.select_related("agency").prefetch_related(
    Prefetch("role_assignments", queryset=RoleAssignment.objects.only("user_id", "role"))
)


def _managed_users(request):
    return ACCOUNTS.visible_to(request.user)


def _person_account(request, pk, change=True):
    """A person's account the administrator may manage, or 404 if it is outside
    their reach. Changing it is refused (403) if it holds a role above theirs:
    they can see it, as the list shows it, but not alter it."""
    target = policy.find(request.user, ACCOUNTS, pk=pk, is_service_account=False)
    if change:
        services.check_may_manage(request.user, target)
    else:
        policy.check(request.user, "user.manage", target)
    return target


def _service_account(request, pk):
    return policy.find(request.user, ACCOUNTS, "api_token.manage", pk=pk, is_service_account=True)


# ---------------------------------------------------------------- users


@allowed("user.manage")
@require_http_methods(["GET"])
def users(request):
    managed = _managed_users(request)
    form = UserFilterForm(
        request.GET or None, agencies=Agency.objects.filter(pk__in=managed.values("agency_id")).only("pk", "name")
    )
    people = managed.filter(is_service_account=False).annotate(
        has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )
    sort, descending = request.GET.get("sort", "name"), request.GET.get("order") == "descending"
    if sort not in UserFilterForm.SORTS:
        sort = "name"
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            people = people.filter(Q(full_name__icontains=data["q"]) | Q(email__icontains=data["q"]))
        if data["agency"]:
            people = people.filter(agency=data["agency"])
        if data["role"]:
            people = people.filter(role_assignments__role=data["role"])
        if data["status"]:
            people = people.filter(is_active=data["status"] == "active")
    elif form.is_bound:
        people = people.none()
    field = UserFilterForm.SORTS[sort][0]
    people = people.order_by(("-" if descending else "") + field, "full_name", "pk")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    locked = selectors.locked_usernames(u.email for u in rows)
    for u in rows:
        u.is_locked = u.email in locked

    filters = {k: v for k, v in request.GET.items() if k in ("q", "agency", "role", "status") and v}
    headers = []
    for key, (_, label) in UserFilterForm.SORTS.items():
        current = key == sort
        order = "descending" if current and not descending else "ascending"
        headers.append(
            {
                "label": label,
                "url": "?" + urlencode({**filters, "sort": key, "order": order}),
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    record(
        "list",
        request=request,
        detail={"list": "users", "user_ids": [u.pk for u in rows], "filters": filters, "page": page.number},
    )
    return _render(
        request,
        "manage/users.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "headers": headers,
            "page_query": urlencode({**filters, "sort": sort, "order": "descending" if descending else "ascending"}),
        },
        "users",
    )


def _user_form_data(form):
    data = form.cleaned_data
    return {
        "email": data["email"],
        "full_name": data["full_name"],
        "job_title": data["job_title"],
        "agency": data["agency"],
        "teams": data["teams"],
        "roles": data["roles"],
    }


@allowed("user.manage")
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserForm(request.POST if request.method == "POST" else None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.create_user(request.user, audit=request.audit, **_user_form_data(form))
        _send_set_password_email(request, user)
        messages.success(
            request, f"Account created for {user.full_name}. We have emailed them a link to set their password."
        )
        return redirect("manage:user", pk=user.pk)
    return _render(request, "manage/user_form.html", {"form": form, "target": None}, "users")


def _send_set_password_email(request, user):
    """New people choose their own password through the same one-time link as a
    password reset, so nobody else ever knows it."""
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
        "service_name": settings.SERVICE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
    }
    send_mail(
        f"Your account for {settings.SERVICE_NAME}",
        render_to_string("accounts/email/welcome.txt", context),
        None,
        [user.email],
    )


@allowed("user.manage")
@require_http_methods(["GET"])
def user_detail(request, pk):
    target = _person_account(request, pk, change=False)
    authenticator = TOTPDevice.objects.filter(user=target, confirmed=True).first()
    recovery_left = RecoveryCode.objects.filter(device__user=target).count()
    record("view", request=request, obj=target)
    return _render(
        request,
        "manage/user_detail.html",
        {
            "target": target,
            "authenticator": authenticator,
            "recovery_left": recovery_left,
            "locked": selectors.is_locked(target),
            "teams": list(target.teams.select_related("agency")),
            "is_self": target.pk == request.user.pk,
            "may_change": services.may_change(request.user, target),
        },
        "users",
    )


@allowed("user.manage")
@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    target = _person_account(request, pk)
    initial = {
        "email": target.email,
        "full_name": target.full_name,
        "job_title": target.job_title,
        "agency": target.agency_id,
        "teams": list(target.teams.values_list("pk", flat=True)),
        "roles": target.roles,
    }
    form = UserForm(
        request.POST if request.method == "POST" else None, actor=request.user, target=target, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.update_user(request.user, target, audit=request.audit, **_user_form_data(form))
        messages.success(request, f"Changes to {target.full_name}'s account saved.")
        return redirect("manage:user", pk=target.pk)
    return _render(request, "manage/user_form.html", {"form": form, "target": target}, "users")


_USER_ACTIONS = {
    "deactivate": {
        "title": "Deactivate {name}'s account",
        "body": [
            "They will be signed out and cannot sign in until the account is reactivated.",
            "Their records and everything they did stay in the service and the audit log.",
        ],
        "button": "Deactivate account",
        "warning": True,
        "done": "{name}'s account is deactivated.",
    },
    "reactivate": {
        "title": "Reactivate {name}'s account",
        "body": [
            "They will be able to sign in again with their password and authenticator app.",
            "Check their roles and teams are still right for their work.",
        ],
        "button": "Reactivate account",
        "warning": False,
        "done": "{name}'s account is active again.",
    },
    "reset-second-factor": {
        "title": "Reset {name}'s second factor",
        "body": [
            "Do this when they have lost their phone or their recovery codes.",
            "Their authenticator app and recovery codes will stop working. The next time they sign in, "
            "they will set up an authenticator app again.",
            "Make sure you are speaking to the real person before you do this.",
        ],
        "button": "Reset second factor",
        "warning": True,
        "done": "{name}'s second factor is reset. They will set up an authenticator app at their next sign-in.",
    },
    "unlock": {
        "title": "Unlock {name}'s account",
        "body": [
            "The account was locked after too many wrong passwords or codes.",
            "If they did not make those attempts, someone else may know their password: ask them to reset it.",
        ],
        "button": "Unlock account",
        "warning": False,
        "done": "{name}'s account is unlocked.",
    },
}


def _user_action(request, pk, action, perform):
    target = _person_account(request, pk)
    text = _USER_ACTIONS[action]
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            perform(request.user, target, audit=request.audit)
        except ValueError:
            form.add_error(None, "You cannot deactivate your own account. Ask another administrator")
        else:
            messages.success(request, text["done"].format(name=target.full_name))
            return redirect("manage:user", pk=target.pk)
    return _render(
        request,
        "manage/confirm.html",
        {
            "form": form,
            "target": target,
            "title": text["title"].format(name=target.full_name),
            "body": text["body"],
            "button": text["button"],
            "warning": text["warning"],
            "back": reverse("manage:user", args=[target.pk]),
        },
        "users",
    )


@allowed("user.manage")
@require_http_methods(["GET", "POST"])
def user_deactivate(request, pk):
    return _user_action(
        request, pk, "deactivate", lambda actor, target, audit: services.set_active(actor, target, False, audit=audit)
    )


@allowed("user.manage")
@require_http_methods(["GET", "POST"])
def user_reactivate(request, pk):
    return _user_action(
        request, pk, "reactivate", lambda actor, target, audit: services.set_active(actor, target, True, audit=audit)
    )


@allowed("user.manage")
@require_http_methods(["GET", "POST"])
def user_reset_second_factor(request, pk):
    return _user_action(request, pk, "reset-second-factor", services.reset_second_factor)


@allowed("user.manage")
@require_http_methods(["GET", "POST"])
def user_unlock(request, pk):
    return _user_action(request, pk, "unlock", services.unlock)


# ---------------------------------------------------------------- service accounts and tokens


@allowed("api_token.manage")
@require_http_methods(["GET"])
def service_accounts(request):
    accounts = list(_managed_users(request).filter(is_service_account=True).order_by("agency__name", "full_name"))
    tokens = {}
    for token in ApiToken.objects.filter(account__in=[a.pk for a in accounts], revoked_at__isnull=True):
        if token.is_usable:
            tokens[token.account_id] = tokens.get(token.account_id, 0) + 1
    for account in accounts:
        account.usable_tokens = tokens.get(account.pk, 0)
    record("list", request=request, detail={"list": "service_accounts", "user_ids": [a.pk for a in accounts]})
    return _render(request, "manage/service_accounts.html", {"accounts": accounts}, "service-accounts")


@allowed("api_token.manage")
@require_http_methods(["GET", "POST"])
def service_account_create(request):
    form = ServiceAccountForm(request.POST if request.method == "POST" else None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        account = services.create_service_account(request.user, audit=request.audit, **form.cleaned_data)
        messages.success(request, f"Service account created for {account.full_name}. Now issue it a token.")
        return redirect("manage:service-account", pk=account.pk)
    return _render(request, "manage/service_account_form.html", {"form": form}, "service-accounts")


@allowed("api_token.manage")
@require_http_methods(["GET"])
def service_account_detail(request, pk):
    account = _service_account(request, pk)
    tokens = ApiToken.objects.filter(account=account).select_related("created_by").order_by("-created_at")
    record("view", request=request, obj=account)
    return _render(
        request,
        "manage/service_account_detail.html",
        {
            "account": account,
            "tokens": tokens,
            "scope_labels": dict(ApiToken.Scope.choices),
        },
        "service-accounts",
    )


@allowed("api_token.manage")
@require_http_methods(["GET", "POST"])
def token_create(request, pk):
    account = _service_account(request, pk)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token, plain = services.issue_token(
            request.user,
            account,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_in_days=form.expires_in_days,
            audit=request.audit,
        )
        # Rendered in this response only (never cached: NoStoreMiddleware); the
        # secret is not stored anywhere.
        return _render(
            request,
            "manage/token_issued.html",
            {"account": account, "token": token, "plain": plain},
            "service-accounts",
        )
    return _render(request, "manage/token_form.html", {"form": form, "account": account}, "service-accounts")


@allowed("api_token.manage")
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.select_related("account"), pk=pk)
    account = _service_account(request, token.account_id)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.revoke_token(request.user, token, audit=request.audit)
        messages.success(request, f"The token “{token.name}” is revoked. The partner system can no longer use it.")
        return redirect("manage:service-account", pk=account.pk)
    return _render(
        request,
        "manage/confirm.html",
        {
            "form": form,
            "title": f"Revoke the token “{token.name}”",
            "body": [
                f"{account.full_name} will no longer be able to use this token. This cannot be undone: "
                "issue a new token if the system still needs access."
            ],
            "button": "Revoke token",
            "warning": True,
            "back": reverse("manage:service-account", args=[account.pk]),
        },
        "service-accounts",
    )


# ---------------------------------------------------------------- agencies and teams


@allowed("agency.manage")
@require_http_methods(["GET"])
def agencies(request):
    rows = Agency.objects.prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
    return _render(request, "manage/agencies.html", {"agencies": rows}, "agencies")


@allowed("agency.manage")
@require_http_methods(["GET", "POST"])
def agency_form(request, pk=None):
    agency = get_object_or_404(Agency, pk=pk) if pk else Agency()
    form = AgencyForm(request.POST if request.method == "POST" else None, instance=agency)
    if request.method == "POST" and form.is_valid():
        services.save_agency(request.user, form.save(commit=False), form.changed_data, audit=request.audit)
        messages.success(request, f"{agency.name} saved.")
        return redirect("manage:agencies")
    return _render(request, "manage/agency_form.html", {"form": form, "agency": agency if pk else None}, "agencies")


@allowed("agency.manage")
@require_http_methods(["GET", "POST"])
def team_form(request, pk=None):
    team = get_object_or_404(Team, pk=pk) if pk else Team()
    initial = {"agency": request.GET.get("agency")} if not pk and request.GET.get("agency", "").isdigit() else None
    form = TeamForm(request.POST if request.method == "POST" else None, instance=team, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_team(request.user, form.save(commit=False), form.changed_data, audit=request.audit)
        messages.success(request, f"{team.name} saved.")
        return redirect("manage:agencies")
    return _render(request, "manage/team_form.html", {"form": form, "team": team if pk else None}, "agencies")
