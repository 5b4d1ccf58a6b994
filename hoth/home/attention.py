""" "What needs my attention": the home page's panels, chosen by role."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Role
from hoth.analytics.suppression import SMALLEST_SHOWN, SUPPRESSED
from hoth.notifications.models import Notification


@dataclass
class Panel:
    title: str
    summary: str = ""
    rows: list = field(default_factory=list)  # (text, url or "", detail)
    link: tuple | None = None  # (text, url)
    # The people the rows name, for the page's audit event.
    people: list = field(default_factory=list)


def _notifications(user):
    unread = Notification.objects.visible_to(user).filter(read_at__isnull=True)
    count = unread.count()
    rows = [(n.subject, reverse("notifications:open", args=[n.pk]), n.created_at) for n in unread[:5]]
    return Panel(
        "Notifications",
        f"You have {count} unread notification{'s' if count != 1 else ''}."
        if count
        else "You have no unread notifications.",
        rows,
        ("All notifications", reverse("notifications:list")),
    )


def _my_people(user):
    from hoth.people.models import Person

    people = Person.objects.visible_to(user).order_by("-updated_at")
    count = people.count()
    shown = list(people[:8])
    rows = [(p.full_name, reverse("people:detail", args=[p.reference]), p.dob_display) for p in shown]
    return Panel(
        "People you work with",
        f"{count} record{'s' if count != 1 else ''} you can see.",
        rows,
        ("Find a person", reverse("people:search")),
        people=[p.pk for p in shown],
    )


def _register_overview(user):
    from hoth.people.models import Person

    week_ago = timezone.now() - timedelta(days=7)
    people = Person.objects.visible_to(user)
    return Panel(
        "The register",
        f"{people.count()} people on the register; {people.filter(created_at__gte=week_ago).count()} added in the last 7 days.",
        link=("Find a person", reverse("people:search")),
    )


# The towns named on the managers' panel; the rest are counted together.
TOWNS_NAMED = 12


def _aggregates(user):
    """Counts only, read for their purpose: managers and board members never
    see a name, nor a count small enough to point at someone. Only towns with
    at least SMALLEST_SHOWN people are named; the rest are one "Other towns"
    count. A listed count is known to be at least one, so when that count is
    small the total is hidden with it: beside the total it could be worked
    out whatever else were hidden."""
    from hoth.people.models import Person

    addresses = policy.for_purpose(user, "register.count", Person.objects.filter(addresses__valid_to__isnull=True))
    by_town = list(
        addresses.values_list("addresses__town")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "addresses__town")
    )
    named = [(town, n) for town, n in by_town if n >= SMALLEST_SHOWN][:TOWNS_NAMED]
    other = sum(n for _, n in by_town) - sum(n for _, n in named)
    small = 0 < other < SMALLEST_SHOWN
    rows = [(town, "", f"{n:,} people") for town, n in named]
    if other:
        rows.append(("Other towns", "", SUPPRESSED if small else f"{other:,} people"))
    total = SUPPRESSED if small else f"{other + sum(n for _, n in named):,}"
    summary = f"{total} people by the town of their current address. "
    if small:
        summary += f"{SUPPRESSED} is a count under {SMALLEST_SHOWN}, or a total that would give one away. "
    return Panel("People on the register by town", summary + "No names are shown.", rows)


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


def _information_governance(user, today):
    """The data protection officer's deadlines: subject access requests due
    within a week or overdue, and retention reviews waiting for a decision."""
    from hoth.information_governance.models import RetentionReview, SubjectAccessRequest

    open_requests = list(SubjectAccessRequest.objects.visible_to(user).open())
    due = sorted((r for r in open_requests if r.days_left(today) <= 7), key=lambda r: r.deadline)
    rows = [
        (
            f"{r.reference}: {'overdue' if r.days_left(today) < 0 else 'due'} {r.deadline:%-d %B %Y}",
            reverse("subject_access:detail", args=[r.reference]),
            "",
        )
        for r in due
    ]
    waiting = RetentionReview.objects.visible_to(user).filter(status=RetentionReview.Status.PROPOSED).count()
    if waiting:
        rows.append(
            (
                f"{waiting} retention review{'s' if waiting != 1 else ''} waiting for your decision",
                reverse("retention:list"),
                "",
            )
        )
    return Panel(
        "Information governance",
        f"{len(open_requests)} open subject access request{'s' if len(open_requests) != 1 else ''}.",
        rows,
        ("Subject access requests and retention", reverse("information_governance:home")),
    )


def _accounts_watch(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hoth.accounts.models import User

    users = policy.visible(user, User.objects.filter(is_active=True, is_service_account=False))
    enrolled = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    not_enrolled = users.exclude(pk__in=enrolled).count()
    return Panel(
        "Accounts",
        f"{users.count()} active accounts; {not_enrolled} have not yet set up their second factor.",
        link=("Manage users", reverse("manage:users")),
    )


def _url(name, *args):
    """A link into an app that may not be built yet on this branch."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _my_tasks(user, today):
    """Overdue and due-this-week tasks: everyone has tasks, even those who
    never see a child."""
    from hoth.tasks.models import Task

    open_tasks = Task.objects.visible_to(user).outstanding().filter(owner=user)
    week_end = today + timedelta(days=7)
    counts = open_tasks.aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        this_week=Count("pk", filter=Q(due_date__gte=today, due_date__lte=week_end)),
    )
    shown = list(open_tasks.filter(due_date__lte=week_end)[:5])
    rows = [
        (
            task.title,
            _url("tasks:detail", task.pk),
            f"Overdue: was due {task.due_date:%-d %B}" if task.due_date < today else f"Due {task.due_date:%-d %B}",
        )
        for task in shown
    ]
    if counts["overdue"] or counts["this_week"]:
        summary = f"{counts['overdue']} overdue; {counts['this_week']} due in the next 7 days."
    else:
        summary = "Nothing overdue or due in the next 7 days."
    return Panel(
        "Your tasks",
        summary,
        rows,
        ("All your tasks", _url("tasks:mine")) if _url("tasks:mine") else None,
        people=[task.person_id for task in shown if task.person_id],
    )


def _screening_queue(user, now):
    from hoth.referrals.models import Referral

    waiting = Referral.objects.visible_to(user).filter(status=Referral.Status.SUBMITTED)
    counts = waiting.aggregate(
        waiting=Count("pk"),
        overdue=Count("pk", filter=Q(screen_by__lt=now)),
        urgent=Count("pk", filter=Q(is_urgent=True)),
    )
    summary = (
        f"{counts['waiting']} referral{'s' if counts['waiting'] != 1 else ''} waiting to be screened; "
        f"{counts['overdue']} past the service standard; {counts['urgent']} urgent."
    )
    url = _url("queue:list")
    return Panel("Referrals waiting to be screened", summary, link=("The screening queue", url) if url else None)


def _lower_levels_to_approve(user):
    """Screenings whose screener asked for a lower level than the rules gave:
    the rules' level stands until another coordinator decides."""
    from hoth.screening.models import Screening

    count = (
        Screening.objects.visible_to(user)
        .filter(status=Screening.Status.AWAITING_APPROVAL)
        .exclude(screened_by=user)
        .count()
    )
    if not count:
        return None
    url = _url("screening:approvals")
    summary = f"{count} screening{'s' if count != 1 else ''} waiting for your decision on a lower level."
    return Panel("Lower levels to approve", summary, link=("Decide on lower levels", url) if url else None)


def _stale_services(user):
    """Directory entries nobody has checked for a year: a wrong number can
    leave a frightened child without help."""
    from hoth.directory.selectors import stale_services

    count = stale_services().count()
    if not count:
        return None
    url = _url("services:list")
    summary = f"{count} support service{'s' if count != 1 else ''} not reviewed for 12 months."
    return Panel(
        "Support services to review", summary, link=("Services to review", f"{url}?show=stale") if url else None
    )


def _overdue_everywhere(user, today):
    from hoth.tasks.models import Task

    overdue = Task.objects.visible_to(user).overdue(today)
    count = overdue.count()
    agencies = overdue.values("owner_agency").distinct().count()
    summary = (
        f"{count} overdue action{'s' if count != 1 else ''} across {agencies} agenc{'ies' if agencies != 1 else 'y'}."
        if count
        else "No actions are overdue in any agency."
    )
    url = _url("tasks:overdue")
    return Panel("Overdue actions across agencies", summary, link=("Overdue actions", url) if url else None)


def _return_interviews_due(user, now):
    """Children they work with who are back from a missing episode and have
    not yet been offered a return home interview."""
    from hoth.analytics.missing import RETURN_INTERVIEW_WINDOW
    from hoth.cases.models import MissingEpisode, ReturnInterview

    offered = Q(return_interview__offered_at__isnull=False) | Q(
        return_interview__outcome=ReturnInterview.Outcome.NOT_APPLICABLE
    )
    due = (
        MissingEpisode.objects.visible_to(user)
        .filter(ended_at__isnull=False)
        .exclude(offered)
        .select_related("person")
        .order_by("ended_at")
    )
    count = due.count()
    rows, shown = [], []
    for episode in due[:8]:
        shown.append(episode.person_id)
        due_by = timezone.localtime(episode.ended_at + RETURN_INTERVIEW_WINDOW)
        when = f"Overdue: was due by {due_by:%-d %B, %H:%M}" if due_by < now else f"Due by {due_by:%-d %B, %H:%M}"
        rows.append((episode.person.full_name, _url("cases:missing-episode", episode.pk), when))
    summary = (
        f"{count} child{'ren' if count != 1 else ''} you work with need{'s' if count == 1 else ''} "
        "a return home interview offered."
        if count
        else "No return home interviews are waiting to be offered."
    )
    return Panel("Return home interviews due", summary, rows, people=shown)


def _my_jobs(user, now):
    """Jobs the user asked for in the last week (imports, PDFs): only when there are some."""
    from hoth.jobs.models import Job

    recent = list(
        Job.objects.visible_to(user).filter(created_at__gte=now - timedelta(days=7)).order_by("-created_at")[:5]
    )
    if not recent:
        return None
    return Panel(
        "Your jobs",
        "",
        [(job.title, reverse("jobs:detail", args=[job.pk]), job.get_status_display()) for job in recent],
        ("All your jobs", reverse("jobs:list")),
    )


def _intelligence_work(user):
    """For analysts: intelligence waiting to be graded and links the service proposed."""
    from hoth.intelligence.models import IntelligenceReport, Link

    waiting = IntelligenceReport.objects.visible_to(user).filter(status=IntelligenceReport.Status.SUBMITTED).count()
    proposed = Link.objects.visible_to(user).proposed().count()
    return Panel(
        "Intelligence to work on",
        "",
        [
            (
                f"{waiting} report{'s' if waiting != 1 else ''} waiting to be graded",
                f"{_url('intelligence:list')}?status=submitted",
                "",
            ),
            (f"{proposed} proposed link{'s' if proposed != 1 else ''} to accept or reject", _url("links:proposed"), ""),
        ],
        ("The network", _url("network:overview")),
    )


def _disruption_watch(user, today):
    """Orders and notices about to run out (time to apply to extend them) and
    disruption plans past their review date, within the user's sight."""
    from hoth.disruption.models import DisruptionActivity, DisruptionPlan
    from hoth.disruption.services import expiry_warning_days

    days = expiry_warning_days()
    expiring = DisruptionActivity.objects.visible_to(user).expiring(today, days).count()
    overdue = DisruptionPlan.objects.visible_to(user).review_due(today).count()
    url = _url("disruption:list")
    plans = _url("disruption:plans")
    return Panel(
        "Disruption",
        "",
        [
            (
                f"{expiring} order{'s' if expiring != 1 else ''} or notice{'s' if expiring != 1 else ''} expiring in the "
                f"next {days} days",
                f"{url}?expiring=on",
                "",
            ),
            (
                f"{overdue} disruption plan{'s' if overdue != 1 else ''} past {'their' if overdue != 1 else 'its'} review "
                "date",
                f"{plans}?review_due=on",
                "",
            ),
        ],
        ("Disruption activities", url),
    )


def attention_for(user, now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    panels = [_notifications(user), _my_tasks(user, today), _my_jobs(user, now)]
    if user.has_role(Role.COORDINATOR):
        panels += [_screening_queue(user, now), _lower_levels_to_approve(user), _overdue_everywhere(user, today)]
    if user.has_role(Role.PRACTITIONER):
        panels.append(_return_interviews_due(user, now))
    if user.has_role(Role.PRACTITIONER, Role.PANEL_CHAIR):
        panels.append(_my_people(user))
    if user.has_role(Role.ANALYST):
        panels.append(_intelligence_work(user))
    if policy.can(user, "disruption.view"):
        panels.append(_disruption_watch(user, today))
    if user.has_role(Role.COORDINATOR, Role.ANALYST):
        panels.append(_register_overview(user))
    if user.has_role(Role.MANAGER):
        panels.append(_aggregates(user))
    if user.has_role(Role.AUDITOR):
        panels.append(_audit_watch(user))
    if policy.can(user, "subject_access.manage"):
        panels.append(_information_governance(user, today))
    if user.has_role(Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN):
        panels.append(_accounts_watch(user))
    if policy.can(user, "directory.manage"):
        panels.append(_stale_services(user))
    return [panel for panel in panels if panel is not None]
