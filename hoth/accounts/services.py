"""What administrators and the sign-in pages do to accounts.

Each function checks the access policy, makes its change in one transaction and
writes one audit event, so views, the API and management commands behave alike.
Audit detail holds ids, field names and role codes only, never the values typed.
"""

import secrets
from collections.abc import Collection, Iterable, Sequence
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoth.access import policy
from hoth.audit.context import AuditContext
from hoth.audit.log import record

from . import recovery
from .models import Agency, ApiToken, RecoveryCode, RecoveryCodes, Role, RoleAssignment, Team, User

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
AUTHENTICATOR_DEVICE_NAME = "Authenticator app"
# A service account's address is only an identifier: the reserved .invalid
# domain means no mail can ever be sent to it.
SERVICE_ACCOUNT_DOMAIN = "service-account.invalid"


# ---------------------------------------------------------------- second factor


def authenticator_for_enrolment(user: User) -> TOTPDevice:
    """The unconfirmed authenticator device the user is setting up. Reused
    across page loads so that refreshing does not change the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm_enrolment(user: User, device: TOTPDevice) -> list[str]:
    """Make `device` the user's authenticator and issue fresh recovery codes.
    Returns the codes in plain text: the only time anyone sees them."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return replace_recovery_codes(user)


def replace_recovery_codes(user: User) -> list[str]:
    """New codes, returned in plain text this once; only their hashes are kept."""
    RecoveryCodes.objects.filter(user=user).delete()
    device = RecoveryCodes.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = recovery.new_code()
        if code not in codes:
            codes.append(code)
    salts = [recovery.new_salt() for _ in codes]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(device=device, salt=salt, digest=recovery.digest(salt, code)) for salt, code in zip(salts, codes)]
    )
    return codes


# ---------------------------------------------------------------- users


def check_may_manage(actor: User, target: User) -> None:
    """An administrator manages an account only if the policy allows it and the
    account holds no role the administrator could not have given: an agency
    administrator cannot disable the system administrator who sits in their agency."""
    policy.check(actor, "user.manage", target)
    for role in target.roles:
        policy.check(actor, "user.grant_role", role)


def may_change(actor: User, target: User) -> bool:
    """check_may_manage as a yes/no, for deciding which actions to offer."""
    return policy.can(actor, "user.manage", target) and all(
        policy.can(actor, "user.grant_role", role) for role in target.roles
    )


def grantable_roles(actor: User, service_account: bool = False) -> list[Role]:
    roles = [r for r in Role if policy.can(actor, "user.grant_role", r)]
    if service_account:
        # A partner system does casework-style reads and writes; it never administers.
        roles = [r for r in roles if r not in (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN)]
    return roles


def _check_grants(actor: User, agency: Agency, roles: Iterable[str], teams: Iterable[Team]) -> None:
    policy.check(actor, "user.manage", agency)
    for role in roles:
        policy.check(actor, "user.grant_role", role)
    if any(t.agency_id != agency.pk for t in teams):
        raise ValueError("teams must belong to the user's agency")


def _set_roles(user: User, roles: Iterable[str], keep: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """Give exactly `roles`, keeping the ones in `keep` (held roles the editor may not touch)."""
    wanted = set(roles) | set(keep)
    held = set(user.role_assignments.values_list("role", flat=True))
    RoleAssignment.objects.filter(user=user, role__in=held - wanted).delete()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in sorted(wanted - held)])
    user.__dict__.pop("roles", None)
    return sorted(wanted - held), sorted(held - wanted)


@transaction.atomic
def create_user(
    actor: User,
    *,
    email: str,
    full_name: str,
    agency: Agency,
    job_title: str = "",
    teams: Iterable[Team] = (),
    roles: Sequence[str] = (),
    audit: AuditContext | None = None,
) -> User:
    """A new person account. The password is random and unknown to anyone: the
    person sets their own through the emailed link, then enrols an authenticator
    app at first sign-in."""
    teams = list(teams)
    _check_grants(actor, agency, roles, teams)
    user = User.objects.create_user(
        email=email, password=secrets.token_urlsafe(32), full_name=full_name, job_title=job_title, agency=agency
    )
    user.teams.set(teams)
    _set_roles(user, roles)
    record(
        "admin",
        audit=audit,
        user=actor,
        obj=user,
        detail={
            "change": "user.create",
            "agency_id": agency.pk,
            "roles": sorted(roles),
            "team_ids": sorted(t.pk for t in teams),
        },
    )
    return user


ADMINISTRATOR_ROLES = (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN)


def removes_own_administration(actor: User, target: User, roles: Collection[str]) -> bool:
    """Would this edit take an administrator role away from the person making
    it? Nobody demotes themselves: a partnership whose last administrator did
    so by a slip could no longer manage accounts, and a takeover of one admin
    account should not be able to hide by stepping down."""
    return actor.pk == target.pk and any(r in target.roles and r not in roles for r in ADMINISTRATOR_ROLES)


@transaction.atomic
def update_user(
    actor: User,
    target: User,
    *,
    email: str,
    full_name: str,
    job_title: str,
    agency: Agency,
    teams: Iterable[Team],
    roles: Sequence[str],
    audit: AuditContext | None = None,
) -> User:
    check_may_manage(actor, target)
    if removes_own_administration(actor, target, roles):
        raise PermissionDenied("administrators cannot remove their own administrator role")
    teams = list(teams)
    _check_grants(actor, agency, roles, teams)
    changed = [
        name
        for name, value in (("email", email), ("full_name", full_name), ("job_title", job_title), ("agency", agency))
        if getattr(target, name) != value
    ]
    target.email, target.full_name, target.job_title, target.agency = email, full_name, job_title, agency
    target.save()
    old_teams = set(target.teams.values_list("pk", flat=True))
    target.teams.set(teams)
    new_teams = {t.pk for t in teams}
    keep = [r for r in target.roles if not policy.can(actor, "user.grant_role", r)]
    added, removed = _set_roles(target, roles, keep=keep)
    record(
        "admin",
        audit=audit,
        user=actor,
        obj=target,
        detail={
            "change": "user.update",
            "fields": changed,
            "roles_added": added,
            "roles_removed": removed,
            "teams_added": sorted(new_teams - old_teams),
            "teams_removed": sorted(old_teams - new_teams),
        },
    )
    return target


@transaction.atomic
def set_active(actor: User, target: User, active: bool, audit: AuditContext | None = None) -> User:
    check_may_manage(actor, target)
    if target.pk == actor.pk and not active:
        raise ValueError("administrators cannot deactivate their own account")
    target.is_active = active
    target.save(update_fields=["is_active"])
    record(
        "admin",
        audit=audit,
        user=actor,
        obj=target,
        detail={"change": "user.reactivate" if active else "user.deactivate"},
    )
    return target


@transaction.atomic
def reset_second_factor(actor: User, target: User, audit: AuditContext | None = None) -> None:
    """Remove the authenticator and recovery codes: the person sets up a new
    app at their next sign-in, and any session they have loses its verification."""
    check_may_manage(actor, target)
    removed = 0
    for devices in (TOTPDevice.objects.filter(user=target), RecoveryCodes.objects.filter(user=target)):
        removed += devices.delete()[1].get(devices.model._meta.label, 0)
    record(
        "admin",
        audit=audit,
        user=actor,
        obj=target,
        detail={"change": "user.reset_second_factor", "devices_removed": removed},
    )


@transaction.atomic
def unlock(actor: User, target: User, audit: AuditContext | None = None) -> None:
    from axes.utils import reset

    check_may_manage(actor, target)
    cleared = reset(username=target.email)
    record("admin", audit=audit, user=actor, obj=target, detail={"change": "user.unlock", "attempts_cleared": cleared})


# ---------------------------------------------------------------- agencies and teams


@transaction.atomic
def save_agency(
    actor: User, agency: Agency, changed_fields: Iterable[str], audit: AuditContext | None = None
) -> Agency:
    policy.check(actor, "agency.manage")
    creating = agency.pk is None
    agency.save()
    record(
        "admin",
        audit=audit,
        user=actor,
        obj=agency,
        detail={
            "change": "agency.create" if creating else "agency.update",
            "fields": sorted(changed_fields),
        },
    )
    return agency


@transaction.atomic
def save_team(actor: User, team: Team, changed_fields: Iterable[str], audit: AuditContext | None = None) -> Team:
    policy.check(actor, "agency.manage")
    creating = team.pk is None
    team.save()
    record(
        "admin",
        audit=audit,
        user=actor,
        obj=team,
        detail={
            "change": "team.create" if creating else "team.update",
            "agency_id": team.agency_id,
            "fields": sorted(changed_fields),
        },
    )
    return team


# ---------------------------------------------------------------- service accounts and tokens


@transaction.atomic
def create_service_account(
    actor: User, *, name: str, agency: Agency, roles: Sequence[str], audit: AuditContext | None = None
) -> User:
    policy.check(actor, "api_token.manage", agency)
    allowed = grantable_roles(actor, service_account=True)
    if any(r not in allowed for r in roles):
        raise ValueError("a service account cannot hold that role")
    email = f"{secrets.token_hex(6)}@{SERVICE_ACCOUNT_DOMAIN}"
    account = User.objects.create_user(
        email=email, password=None, full_name=name, agency=agency, is_service_account=True
    )
    _set_roles(account, roles)
    record(
        "admin",
        audit=audit,
        user=actor,
        obj=account,
        detail={
            "change": "service_account.create",
            "agency_id": agency.pk,
            "roles": sorted(roles),
        },
    )
    return account


@transaction.atomic
def issue_token(
    actor: User,
    account: User,
    *,
    name: str,
    scopes: Sequence[str],
    expires_in_days: int | None = None,
    audit: AuditContext | None = None,
) -> tuple[ApiToken, str]:
    """A new token. Returns (token, "<prefix>.<secret>"): the secret is never
    stored, so this is the only time it can be shown."""
    from hoth.api.authentication import hash_secret

    policy.check(actor, "api_token.manage", account)
    if not account.is_service_account:
        raise ValueError("tokens are issued only to service accounts")
    if not scopes or any(s not in ApiToken.Scope.values for s in scopes):
        raise ValueError("unknown scope")
    prefix = secrets.token_hex(5)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(5)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        account=account,
        name=name,
        prefix=prefix,
        secret_hash=hash_secret(secret),
        scopes=sorted(scopes),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    record(
        "admin",
        audit=audit,
        user=actor,
        obj=token,
        detail={
            "change": "api_token.issue",
            "account_id": account.pk,
            "scopes": sorted(scopes),
        },
    )
    return token, f"{prefix}.{secret}"


@transaction.atomic
def revoke_token(actor: User, token: ApiToken, audit: AuditContext | None = None) -> ApiToken:
    policy.check(actor, "api_token.manage", token.account)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            "admin",
            audit=audit,
            user=actor,
            obj=token,
            detail={"change": "api_token.revoke", "account_id": token.account_id},
        )
    return token
