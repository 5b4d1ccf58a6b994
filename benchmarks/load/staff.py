"""The load test's staff: one account for each virtual user, and what each
of them works on.

Runs inside Django, in the harness beside the server, on the benchmark's own
database. Each virtual user signs in through the real pages with the demo
password and a code from an authenticator, so every account gets a confirmed
TOTP device through the same services the enrolment page uses; the harness
hands the device's secret to Locust, which computes the code as a phone would.

Practitioners are the generated ones with open cases (their caseloads come
from the generator); coordinators, analysts and panel chairs are the generated
ones too, and where the partnership has too few for the mix, more are created
with accounts.services.create_user, as an administrator would. The demo
sign-ins are left alone: people use them by hand, and an authenticator made
here would stand between them and the enrolment page.
"""

import math
from datetime import date, timedelta

ROLES = ("practitioner", "coordinator", "analyst", "panel_chair")
# A working day: most people on the service are practitioners with
# caseloads; a few coordinators run the front door, fewer analysts work the
# intelligence and fewer panel chairs prepare the panel.
SHARES = {"practitioner": 0.6, "coordinator": 0.2, "analyst": 0.12, "panel_chair": 0.08}
# Where the accounts made for the load test sit (agency, team), as the
# generator places the demo user of the same role.
HOMES = {
    "coordinator": ("COUNCIL", "Harm Outside the Home Team"),
    "analyst": ("POLICE", "Intelligence Unit"),
    "panel_chair": ("PARTNERSHIP", "Child Exploitation Operational Panel"),
}
JOB_TITLES = {
    "coordinator": "Exploitation coordinator",
    "analyst": "Intelligence analyst",
    "panel_chair": "Panel chair",
}
TARGETS = 12  # of each kind per account: enough variety, few queries to find them


def mix(users):
    """Virtual users of each role: at least one of each (from four users on),
    the rest shared by SHARES with the largest remainders rounded up."""
    floor = 1 if users >= len(ROLES) else 0
    rest = users - floor * len(ROLES)
    exact = {role: rest * share for role, share in SHARES.items()}
    counts = {role: floor + math.floor(value) for role, value in exact.items()}
    by_remainder = sorted(ROLES, key=lambda role: (-(exact[role] - math.floor(exact[role])), ROLES.index(role)))
    for role in by_remainder[: users - sum(counts.values())]:
        counts[role] += 1
    return counts


def load_email(role, n):
    from hoth.synthetic import data

    return f"load-{role.replace('_', '-')}-{n:02d}@{data.DEMO_EMAIL_DOMAIN}"


def prepare(counts, today=None):
    """The accounts for `counts` virtual users of each role, with their
    authenticators and targets, as plain data for the locustfile."""
    from hoth.synthetic.data import DEMO_PASSWORD

    today = today or date.today()
    shared = _shared_targets()
    accounts = []
    for role in ROLES:
        if not counts.get(role):
            continue
        users = _practitioners(counts[role]) if role == "practitioner" else _staff(role, counts[role])
        for user in users:
            accounts.append(
                {
                    "role": role,
                    "email": user.email,
                    "password": DEMO_PASSWORD,
                    "totp": authenticator(user),
                    "targets": _targets(role, user, shared, today),
                }
            )
    return accounts


# ---------------------------------------------------------------- accounts


def _demo_emails():
    from hoth.synthetic.generator import DEMO_USERS, demo_email

    return [demo_email(local) for local, *_ in DEMO_USERS]


def _practitioners(count):
    """Practitioners with the most open cases they lead or work on, outside
    schools (a school sees its pupils differently; the demo shows that)."""
    from django.db.models import Count, Q

    from hoth.accounts.models import Role, User
    from hoth.cases.models import Case

    open_cases = Q(case_memberships__removed_at__isnull=True, case_memberships__case__status=Case.Status.OPEN)
    ranked = (
        User.objects.filter(role_assignments__role=Role.PRACTITIONER, is_active=True, is_service_account=False)
        .exclude(agency__type="education")
        .exclude(email__in=_demo_emails())
        .annotate(
            led=Count("cases_led", filter=Q(cases_led__status=Case.Status.OPEN), distinct=True),
            member=Count("case_memberships", filter=open_cases, distinct=True),
        )
        .filter(Q(led__gt=0) | Q(member__gt=0))
        .order_by("-led", "-member", "pk")
    )
    chosen = list(ranked[:count])
    if len(chosen) < count:
        raise SystemExit(
            f"The partnership has {len(chosen)} practitioners with open cases, and the mix needs "
            f"{count}: use fewer --users or a larger --size."
        )
    return chosen


def _staff(role, count):
    """Generated users of the role first, then accounts made for the load test."""
    from django.db import transaction

    from hoth.accounts import services
    from hoth.accounts.models import Agency, Role, Team, User
    from hoth.synthetic import data
    from hoth.synthetic.generator import demo_email

    role_value = Role(role)
    users = list(
        User.objects.filter(role_assignments__role=role_value, is_active=True, is_service_account=False)
        .exclude(email__in=_demo_emails())
        .exclude(email__startswith="load-")
        .order_by("pk")[:count]
    )
    missing = count - len(users)
    if missing <= 0:
        return users
    administrator = User.objects.get(email=demo_email("system-admin"))
    agency_name, team_name = HOMES[role]
    agency = Agency.objects.get(name=getattr(data, agency_name))
    team = Team.objects.get(agency=agency, name=team_name)
    for n in range(1, missing + 1):
        user = User.objects.filter(email=load_email(role, n)).first()  # made by an earlier run
        if user is None:
            with transaction.atomic():
                user = services.create_user(
                    administrator,
                    email=load_email(role, n),
                    full_name=f"Load Test {role_value.label} {n}",
                    agency=agency,
                    job_title=JOB_TITLES[role],
                    teams=[team],
                    roles=[role_value],
                )
                # create_user gives a random password the person would replace
                # through the emailed link; the load test signs in with the
                # published demo password, like every synthetic account.
                user.set_password(data.DEMO_PASSWORD)
                user.save(update_fields=["password"])
        users.append(user)
    return users


def authenticator(user):
    """The user's confirmed TOTP device (enrolled now through the enrolment
    services if they have none) as what an authenticator app holds."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hoth.accounts import services

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = services.authenticator_for_enrolment(user)
        services.confirm_enrolment(user, device)
    # last_t: the last time step a code was accepted in; a code of that step
    # or earlier is refused as a replay (a rerun within 30 s waits for the next).
    return {"key": device.key, "step": device.step, "t0": device.t0, "digits": device.digits, "last_t": device.last_t}


# ---------------------------------------------------------------- what each works on


def _shared_targets():
    """What every coordinator works from: the queue's filters, the waiting
    referrals, the planned screening meeting."""
    from hoth.accounts.models import Agency
    from hoth.panels.forms import LEVEL_CHOICES, STAGE_CHOICES
    from hoth.panels.models import Meeting
    from hoth.referrals.models import HarmType
    from hoth.synthetic import data

    filters = (
        [
            {"harm_type": code}
            for code in HarmType.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)
        ]
        + [{"town": town.name} for town in data.TOWNS[:6]]
        + [{"level": value} for value, _ in LEVEL_CHOICES if value]
        + [
            {"agency": pk}
            for pk in Agency.objects.exclude(type="education").order_by("pk").values_list("pk", flat=True)[:6]
        ]
        + [{"stage": value} for value, _ in STAGE_CHOICES if value]
    )
    planned = list(
        Meeting.objects.filter(kind=Meeting.Kind.SCREENING, status=Meeting.Status.PLANNED)
        .order_by("starts_at")
        .values_list("pk", flat=True)[:2]
    )
    return {"queue_filters": filters, "planned_meetings": planned}


def _targets(role, user, shared, today):
    from django.db.models import Exists, OuterRef, Q

    from hoth.cases.models import Case, CaseNote
    from hoth.intelligence.models import Link, Subject
    from hoth.panels.models import Meeting
    from hoth.panels.queue import waiting_referrals
    from hoth.people.models import Person

    if role == "practitioner":
        cases = (
            Case.objects.visible_to(user)
            .open()
            .filter(Q(lead_professional=user) | Q(members__user=user, members__removed_at__isnull=True))
            .distinct()
            .order_by("reference")
        )
        people = Person.objects.visible_to(user).order_by("reference")
        # Mostly the people they work with; now and then someone else in the
        # register, whom the search must not show them.
        others = Person.objects.exclude(pk__in=people.values("pk")).order_by("pk")
        names = [p.full_name for p in people[:TARGETS]] + [p.family_name for p in others[: TARGETS // 3]]
        return {
            "cases": list(cases.values_list("reference", flat=True)[:TARGETS]),
            "search_names": names,
            "note_kinds": list(CaseNote.Kind.values),
        }
    if role == "coordinator":
        waiting = waiting_referrals(user, today=today).values_list("reference", flat=True)[: TARGETS * 2]
        cases = Case.objects.visible_to(user).open().order_by("-opened_at", "pk")
        return {
            **shared,
            "referrals": list(waiting),
            "cases": list(cases.values_list("reference", flat=True)[:TARGETS]),
        }
    if role == "analyst":
        subjects = Subject.objects.visible_to(user)
        linked = Link.objects.filter(status=Link.Status.ACCEPTED)
        has_links = Exists(linked.filter(source=OuterRef("pk"))) | Exists(linked.filter(target=OuterRef("pk")))
        children = (
            subjects.filter(kind=Subject.Kind.PERSON, person__date_of_birth__gt=_years_ago(today, 18))
            .filter(has_links)
            .order_by("reference")
        )
        of_concern = subjects.filter(of_concern=True).order_by("reference")
        return {
            "subjects": list(of_concern.values_list("reference", flat=True)[:TARGETS]),
            "children": list(children.values_list("reference", flat=True)[:TARGETS]),
        }
    if role == "panel_chair":
        meetings = Meeting.objects.visible_to(user).filter(kind=Meeting.Kind.PANEL).order_by("-starts_at")
        return {"meetings": list(meetings.values_list("pk", flat=True)[:6])}
    raise ValueError(role)


def _years_ago(today, years):
    if (today.month, today.day) == (2, 29):
        today -= timedelta(days=1)
    return today.replace(year=today.year - years)


def check_targets(accounts):
    """Every account has something to open on each page of its role."""
    needed = {
        "practitioner": ["cases", "search_names"],
        "coordinator": ["referrals", "cases", "planned_meetings"],
        "analyst": ["subjects", "children"],
        "panel_chair": ["meetings"],
    }
    problems = [
        f"{a['email']} ({a['role']}) has no {kind.replace('_', ' ')}"
        for a in accounts
        for kind in needed[a["role"]]
        if not a["targets"].get(kind)
    ]
    if problems:
        raise SystemExit("The partnership lacks what the load test opens:\n  " + "\n  ".join(problems))
