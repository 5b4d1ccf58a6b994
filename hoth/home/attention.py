""""What needs my attention": the home page's panels, chosen by role."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Role


@dataclass
class Panel:
    title: str
    summary: str = ""
    rows: list = field(default_factory=list)  # (text, url or "", detail)
    link: tuple | None = None  # (text, url)


def _notifications(user):
    unread = user.notifications.filter(read_at__isnull=True)
    count = unread.count()
    rows = [(n.subject, reverse("notifications:open", args=[n.pk]), n.created_at) for n in unread[:5]]
    return Panel(
        "Notifications",
        f"You have {count} unread notification{'s' if count != 1 else ''}." if count else "You have no unread notifications.",
        rows,
        ("All notifications", reverse("notifications:list")),
    )


def _my_people(user):
    from hoth.people.models import Person

    people = Person.objects.visible_to(user).order_by("-updated_at")
    count = people.count()
    rows = [(p.full_name, reverse("people:detail", args=[p.reference]), p.dob_display) for p in people[:8]]
    return Panel("People you work with", f"{count} record{'s' if count != 1 else ''} you can see.", rows,
                 ("Find a person", reverse("people:search")))


def _register_overview(user):
    from hoth.people.models import Person

    week_ago = timezone.now() - timedelta(days=7)
    people = Person.objects.visible_to(user)
    return Panel(
        "The register",
        f"{people.count()} people on the register; {people.filter(created_at__gte=week_ago).count()} added in the last 7 days.",
        link=("Find a person", reverse("people:search")),
    )


def _aggregates(user):
    """Counts only: managers and board members never see names."""
    from hoth.people.models import Person

    by_town = (
        Person.objects.filter(addresses__valid_to__isnull=True)
        .values("addresses__town")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n")[:12]
    )
    rows = [(row["addresses__town"], "", f"{row['n']} people") for row in by_town]
    return Panel("People on the register by town", "Aggregate figures; no names are shown.", rows)


def _audit_watch(user):
    from hoth.audit.models import AuditEvent

    since = timezone.now() - timedelta(days=30)
    recent = AuditEvent.objects.filter(at__gte=since)
    break_glass = recent.filter(action="break_glass").count()
    failures = recent.filter(action__in=["sign_in_failed", "lockout", "mfa_failed"]).count()
    denied = recent.filter(action="access_denied").count()
    url = reverse("audit:search")
    return Panel(
        "Last 30 days",
        "",
        [
            ("Break-glass openings", f"{url}?action=break_glass", str(break_glass)),
            ("Failed sign-ins and lockouts", f"{url}?action=sign_in_failed", str(failures)),
            ("Access refused", f"{url}?action=access_denied", str(denied)),
        ],
        ("Search the audit log", url),
    )


def _accounts_watch(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hoth.accounts.models import User

    users = policy.visible_users(user, User.objects.filter(is_active=True, is_service_account=False))
    enrolled = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    not_enrolled = users.exclude(pk__in=enrolled).count()
    return Panel(
        "Accounts",
        f"{users.count()} active accounts; {not_enrolled} have not yet set up their second factor.",
        link=("Manage users", reverse("manage:users")),
    )


def attention_for(user):
    panels = [_notifications(user)]
    if user.has_role(Role.PRACTITIONER, Role.PANEL_CHAIR):
        panels.append(_my_people(user))
    if user.has_role(Role.COORDINATOR, Role.ANALYST):
        panels.append(_register_overview(user))
    if user.has_role(Role.MANAGER):
        panels.append(_aggregates(user))
    if user.has_role(Role.AUDITOR):
        panels.append(_audit_watch(user))
    if user.has_role(Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN):
        panels.append(_accounts_watch(user))
    return panels
