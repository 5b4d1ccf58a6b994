"""How fast the front door's busiest pages answer at the medium size.

    HOTH_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoth_bench_synthetic \
        .venv/bin/python benchmarks/front_door.py [--requests 200] [--seed 1] [--regenerate]

Generates the medium partnership first (with its three years of referrals,
screenings and weekly meetings) if the database holds no referrals, or with
--regenerate (which drops and recreates the database). Then, through Django's
test client as the demo coordinator signed in with a second factor, requests:

- the screening queue (queue:list) with no filter;
- the queue filtered, cycling through a harm type, a town, a level, an agency
  and a stage;
- a confirmed screening meeting (panels:detail) whose agenda has about 20 items;
- the planned meeting, with its proposed agenda.

Each page is requested `--requests` times after a warm-up; the whole response
is timed (middleware, the access gate, the audit event, the template), and the
number of SQL queries is counted on one further request. "p50 cpu ms" is this
process's own CPU time (Python and templates, not the database server's): on
a shared, busy machine it tells the page's cost apart from waiting for a core.
Goal: p95 under 150 ms on PostgreSQL.
"""

import argparse
import statistics
import time

import common

GOAL_MS = 150


def pages():
    """(label, url, what the page shows) for each page timed."""
    from django.db.models import Count
    from django.urls import reverse

    from hoth.accounts.models import Agency
    from hoth.panels.models import Meeting

    queue = reverse("queue:list")
    police = Agency.objects.get(name="Cheshire Constabulary")
    filters = ["harm_type=cce", "town=Crewe", "level=high", f"agency={police.pk}", "stage=waiting"]
    meetings = (
        Meeting.objects.filter(status=Meeting.Status.CONFIRMED)
        .annotate(n=Count("items"))
        .order_by("-starts_at")
        .values_list("pk", "n")[:60]
    )
    meeting, items = min(meetings, key=lambda m: (abs(m[1] - 20), -m[0]))
    planned = Meeting.objects.filter(status=Meeting.Status.PLANNED).annotate(n=Count("items")).get()
    return [
        ("queue, no filter", [queue], ""),
        ("queue, filtered", [f"{queue}?{f}" for f in filters], ", ".join(f.split("=")[0] for f in filters)),
        ("confirmed meeting", [reverse("panels:detail", args=[meeting])], f"{items} items"),
        ("planned meeting", [reverse("panels:detail", args=[planned.pk])], f"{planned.n} proposed items"),
    ]


def signed_in_client(user):
    """The test client with the coordinator signed in and their second factor
    verified; returns (client, the device made for it, or None if the user
    already had one)."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, made = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Benchmark authenticator"}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client, device if made else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true", help="drop the database and generate medium again")
    args = parser.parse_args()
    common.setup("front-door")

    from django.test.utils import setup_test_environment

    from hoth.accounts.models import User
    from hoth.referrals.models import Referral
    from hoth.synthetic.generator import Generator, demo_email

    if args.regenerate or not Referral.objects.exists():
        common.recreate_database()
        print("Generating the medium partnership (people and three years of the front door)…")
        generator = Generator(size="medium", seed=args.seed)
        counts = generator.run()
        print(
            f"Generated in {generator.seconds:.0f} s (the front door {generator.front_door_seconds:.0f} s): "
            f"{counts.get('Referral', 0):,} referrals, {counts.get('Screening', 0):,} screenings, "
            f"{counts.get('AgendaItem', 0):,} agenda items"
        )
    # The test client needs the test environment (the 'testserver' host, the
    # in-memory mail outbox); DEBUG stays off as in production.
    setup_test_environment(debug=False)
    coordinator = User.objects.get(email=demo_email("coordinator"))
    client, device = signed_in_client(coordinator)
    try:
        rows = measure(client, args.requests)
    finally:
        if device is not None:  # never leave the demo coordinator with an authenticator nobody holds
            device.delete()
    waiting = Referral.objects.filter(status__in=("submitted", "screened")).count()
    print(
        f"\nThe front door on {common.database_label()}: {Referral.objects.submitted().count():,} referrals, "
        f"{waiting:,} in the queue; as the demo coordinator, {args.requests} requests a page\n"
    )
    common.table(["page", "shows", "n", "p50 ms", "p95 ms", "max ms", "p50 cpu ms", "queries"], rows)
    worst = max(r[4] for r in rows)
    verdict = "meets" if worst < GOAL_MS else "misses"
    print(f"\nWorst p95 {worst:.1f} ms ({verdict} the p95 < {GOAL_MS} ms goal)")


def measure(client, requests):
    """One row of figures for each page: warmed first, queries counted on one
    request, then `requests` timed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch

    try:
        plan = pages()
    except NoReverseMatch as missing:
        raise SystemExit(f"The front door's pages are not there yet ({missing}): nothing to measure.") from None

    rows = []
    for label, urls, shows in plan:
        for url in urls:  # warm the connection, the caches and the templates
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}, not 200: the benchmark needs the page")
        queries = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries.append(len(captured))
        times, cpu = [], []
        for n in range(requests):
            started = time.process_time()
            with common.Timer() as t:
                response = client.get(urls[n % len(urls)])
            cpu.append((time.process_time() - started) * 1000)
            assert response.status_code == 200
            times.append(t.ms)
        s = common.summarise(times)
        rows.append(
            (
                label,
                shows,
                s["n"],
                s["p50"],
                s["p95"],
                s["max"],
                statistics.median(cpu),
                f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}-{max(queries)}",
            )
        )
    return rows


if __name__ == "__main__":
    main()
