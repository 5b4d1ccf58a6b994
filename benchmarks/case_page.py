"""How fast the case page (cases:detail, with its MOJ timeline) answers for a
child with 200 timeline events.

    HOTH_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoth_bench_synthetic \
        .venv/bin/python benchmarks/case_page.py [--requests 200] [--seed 1] [--size small|medium]

Uses the generated partnership already in the database (medium, if
benchmarks/front_door.py made it); if the database holds no referrals it
generates `--size` (small by default: medium takes long). It then takes the
open case with the most referrals and screenings and tops its timeline up to
200 events the lead professional can see with contacts and notes (one in five
restricted to the lead professional's agency), missing episodes, and team
members joining and leaving; a rerun finds the events already there.

Through Django's test client (signed in with a second factor), it requests
the case page as the demo coordinator and as the case's lead professional
(who sees fewer events: restricted notes of other agencies stay hidden).
Prints p50/p95/max ms, the process's own CPU ms and queries per page.
Goal: p95 under 150 ms on PostgreSQL at medium.
"""

import argparse
import statistics
import time
from datetime import timedelta

import common

GOAL_MS = 150
EVENTS = 200


def busiest_case():
    from django.db.models import Count

    from hoth.cases.models import Case

    return (
        Case.objects.open()
        .annotate(n=Count("person__referrals", distinct=True) + Count("person__screenings", distinct=True))
        .select_related("person", "lead_professional__agency")
        .order_by("-n", "pk")
        .first()
    )


def top_up(case, coordinator):
    """Add events to `case` until its lead professional's timeline holds EVENTS
    (the coordinator sees fewer: the notes restricted to the lead's agency)."""
    from django.db import transaction
    from django.utils import timezone

    from hoth.accounts.models import Role, User
    from hoth.cases.models import CaseMember, CaseNote, MissingEpisode
    from hoth.cases.timeline import case_timeline

    lead = case.lead_professional
    missing = EVENTS - len(case_timeline(case, lead))
    if missing <= 0:
        return 0
    now = timezone.now()
    colleagues = list(
        User.objects.filter(role_assignments__role=Role.PRACTITIONER, is_active=True)
        .exclude(pk=lead.pk)
        .select_related("agency")
        .distinct()
        .order_by("pk")[:10]
    )
    with transaction.atomic():
        made = 0
        members = set(CaseMember.objects.filter(case=case).values_list("user_id", flat=True))
        for n, colleague in enumerate(colleagues[:5]):
            if made + 2 > missing:
                break
            if colleague.pk in members:
                continue
            CaseMember.objects.create(
                case=case,
                user=colleague,
                agency=colleague.agency,
                role="Practitioner",
                added_by=coordinator,
                added_at=now - timedelta(days=300 - n),
                removed_at=now - timedelta(days=100 - n) if n % 2 else None,
            )
            made += 2 if n % 2 else 1
        for n in range(min(20, missing - made)):
            MissingEpisode.objects.create(
                person=case.person,
                recorded_by=coordinator,
                started_at=now - timedelta(days=200 - 5 * n),
                ended_at=now - timedelta(days=200 - 5 * n, hours=-20),
            )
            made += 1
        notes = []
        for n in range(missing - made):
            notes.append(
                CaseNote(
                    case=case,
                    happened_on=(now - timedelta(days=n % 300)).date(),
                    kind=CaseNote.Kind.values[n % 5],
                    who="Child and parent",
                    what=f"Contact {n}: talked about school, friends and where they go after dark.",
                    is_restricted=n % 5 == 0,
                    author=lead,
                    author_agency=lead.agency,
                )
            )
        CaseNote.objects.bulk_create(notes)
        through = CaseNote.restricted_to.through
        through.objects.bulk_create(
            [through(casenote_id=note.pk, agency_id=lead.agency_id) for note in notes if note.is_restricted]
        )
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--size", default="small", choices=["small", "medium"], help="what to generate if the database is empty"
    )
    args = parser.parse_args()
    common.setup("case-page")

    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from front_door import signed_in_client

    from hoth.accounts.models import User
    from hoth.cases.timeline import case_timeline
    from hoth.people.models import Person
    from hoth.referrals.models import Referral
    from hoth.synthetic.generator import Generator, demo_email

    if not Referral.objects.exists():
        print(f"Generating the {args.size} partnership…")
        generator = Generator(size=args.size, seed=args.seed)
        generator.run()
    setup_test_environment(debug=False)
    coordinator = User.objects.get(email=demo_email("coordinator"))
    case = busiest_case()
    if case is None:
        raise SystemExit("The generated partnership has no open case to measure")
    added = top_up(case, coordinator)
    lead = case.lead_professional
    url = reverse("cases:detail", args=[case.reference])
    rows = []
    for label, user in (("coordinator", coordinator), ("lead professional", lead)):
        client, device = signed_in_client(user)
        try:
            events = len(case_timeline(case, user))
            rows.append((label, events, *measure(client, url, args.requests)))
        finally:
            if device is not None:
                device.delete()
    print(
        f"\nThe case page on {common.database_label()}: {Person.objects.count():,} people; case {case.reference} "
        f"({added} events added now); {args.requests} requests a viewer\n"
    )
    common.table(["viewer", "events", "n", "p50 ms", "p95 ms", "max ms", "p50 cpu ms", "queries"], rows)
    worst = max(r[4] for r in rows)
    print(f"\nWorst p95 {worst:.1f} ms ({'meets' if worst < GOAL_MS else 'misses'} the p95 < {GOAL_MS} ms goal)")


def measure(client, url, requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}, not 200")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Counted now: each later request's start clears the connection's query log.
    queries = len(captured)
    times, cpu = [], []
    for _ in range(requests):
        started = time.process_time()
        with common.Timer() as t:
            response = client.get(url)
        cpu.append((time.process_time() - started) * 1000)
        assert response.status_code == 200
        times.append(t.ms)
    s = common.summarise(times)
    return s["n"], s["p50"], s["p95"], s["max"], statistics.median(cpu), queries


if __name__ == "__main__":
    main()
