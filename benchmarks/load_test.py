"""A day's work on the service under load, for a bounded time: Locust's
virtual users sign in through the real pages and work as their roles do,
against gunicorn behind Caddy and PostgreSQL, all on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoth_load \\
        .venv/bin/python benchmarks/load_test.py [--size medium] [--users 50] [--duration 600]

    # the smoke run CI affords
    .venv/bin/python benchmarks/load_test.py --size tiny --users 5 --duration 20

1. The data: the synthetic partnership of `--size` (generated if the database
   holds no referrals, or after dropping it with --regenerate), written under
   field and audit keys kept for that database in .local/load-test/, and one
   account for each virtual user with an authenticator (benchmarks/load/staff.py).
2. The service: gunicorn with gunicorn.conf.py (its workers as it decides for
   this machine's cores) and production settings (HOTH_DEBUG unset, a secret
   key made for the run, HOTH_ALLOWED_HOSTS=127.0.0.1), behind Caddy with
   deploy/Caddyfile and a certificate made for the run
   (benchmarks/load/servers.py): the cookies stay Secure and plain HTTP is
   still redirected, as in production.
3. The load: Locust, headless, for --duration seconds (benchmarks/load/locustfile.py).
4. The report: per page, requests, failures, p50, p95 and max in
   milliseconds; after the run, the SQL queries of one request of the page and
   its median time alone (through Django's test client, no load); the load
   average and CPU use of the machine; and what gunicorn logged.

Everything started is stopped at the end, whatever happened. Exits 1 if any
request failed: a 4xx or 5xx, a redirect the flow did not expect, or no answer
within --timeout seconds.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

import common

HERE = Path(__file__).resolve().parent
# The project, and the load test's own modules (staff, servers, machine).
sys.path[:0] = [str(common.ROOT), str(HERE / "load")]
LOCUSTFILE = HERE / "load" / "locustfile.py"
KEYS_DIR = common.ROOT / ".local" / "load-test"
STOP_TIMEOUT = 30  # seconds a virtual user has to finish its page when time is up


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size",
        default="medium",
        choices=["tiny", "small", "medium", "large"],
        help="what to generate if the database holds no referrals",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=50, help="simultaneous virtual users")
    parser.add_argument("--duration", type=int, default=600, help="seconds of load, sign-ins included")
    parser.add_argument("--spawn-rate", type=float, default=2, help="virtual users started a second")
    parser.add_argument("--think", default="2,6", help="seconds between a user's pages: min,max")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a request counts as failed")
    parser.add_argument("--regenerate", action="store_true", help="drop the database and generate again")
    parser.add_argument(
        "--no-queries",
        action="store_true",
        help="skip counting each page's SQL queries and timing it alone after the run",
    )
    parser.add_argument(
        "--keys-dir", type=Path, default=KEYS_DIR, help="where each benchmark database's field and audit keys are kept"
    )
    args = parser.parse_args()
    think = tuple(float(v) for v in args.think.split(","))
    if args.users < 1 or args.duration < 1 or len(think) != 2 or think[0] > think[1]:
        parser.error("--users and --duration must be positive, --think min,max")

    database_url = (
        os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tempfile.gettempdir()) / 'hoth-bench-load.sqlite3'}"
    )
    keys = Keys(database_url, args.keys_dir, fresh=args.regenerate)
    server_env = environments(database_url, keys)
    from django.db import connections

    described, accounts, counts = prepare(args, keys)
    connections.close_all()

    run_dir = Path(tempfile.mkdtemp(prefix="hoth-load-"))
    plan = run_dir / "plan.json"
    passed = False
    try:
        plan.touch(mode=0o600)
        plan.write_text(json.dumps({"mix": counts, "think": think, "accounts": accounts}))
        outcome = run(args, server_env, keys, run_dir, plan, counts)
        plan.unlink()  # the authenticators' secrets go as soon as Locust is done
        alone = {} if args.no_queries else measure_alone(outcome["results"]["examples"])
        passed = report(args, described, counts, think, outcome, alone)
    finally:
        plan.unlink(missing_ok=True)
        if passed:
            shutil.rmtree(run_dir, ignore_errors=True)
        else:
            print(f"\nLogs kept in {run_dir} (gunicorn.log, caddy.log, locust.log)")
    sys.exit(0 if passed else 1)


# ---------------------------------------------------------------- set-up


class Keys:
    """The field and audit keys the benchmark database's data is written
    under, kept beside the checkout (.local/ is never committed) for as long
    as the database: without them its notes cannot be read. The secret key,
    which only signs sessions, is made anew for each run."""

    def __init__(self, database_url, folder, fresh):
        import dj_database_url
        from cryptography.fernet import Fernet

        from hoth.audit.keys import new_audit_key

        settings = dj_database_url.parse(database_url)
        self.sqlite = settings["ENGINE"].endswith("sqlite3")
        self.database = Path(str(settings["NAME"])).stem if self.sqlite else settings["NAME"]
        self.file = folder / f"keys-{self.database}.json"
        self.new = fresh or not self.file.exists()
        if self.new:
            self.values = {"HOTH_FIELD_KEYS": Fernet.generate_key().decode(), "HOTH_AUDIT_KEYS": new_audit_key("load")}
        else:
            self.values = json.loads(self.file.read_text())

    def keep(self):
        self.file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.file.touch(mode=0o600)
        self.file.write_text(json.dumps(self.values))


def environments(database_url, keys):
    """The server's production environment; this process gets the same
    settings, so that what it writes is encrypted and chained alike."""
    import secrets

    # Nothing of the developer's own HOTH_* settings (HOTH_DEBUG above all).
    server = {k: v for k, v in os.environ.items() if not k.startswith("HOTH_") and k != "DATABASE_URL"}
    server.update(keys.values)
    server.update(DATABASE_URL=database_url, HOTH_SECRET_KEY=secrets.token_urlsafe(50), HOTH_ALLOWED_HOSTS="127.0.0.1")
    if keys.sqlite:
        # Production refuses SQLite unless told; a tiny smoke run may use it.
        server["HOTH_ALLOW_SQLITE"] = "1"
    os.environ.clear()
    os.environ.update(server)
    # This process alone may generate the synthetic partnership.
    os.environ.update(HOTH_ALLOW_SYNTHETIC_DATA="1", DJANGO_SETTINGS_MODULE="hoth.settings")
    return server


def prepare(args, keys):
    """Migrate, generate if empty, and make the accounts. Returns (what the
    database holds, the accounts, the mix)."""
    import django

    # The static files are served from the finders (WHITENOISE_USE_FINDERS);
    # no collectstatic is needed for pages, so its missing folder is no news.
    warnings.filterwarnings("ignore", "No directory at")
    django.setup()
    import staff
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command

    from hoth.people.models import Person
    from hoth.referrals.models import Referral

    if args.regenerate:
        common.recreate_database()
    else:
        common.migrate()
    if keys.new:
        if Person.objects.exists():
            raise SystemExit(
                f"{common.database_label()} already holds people, written under keys the load test does not "
                f"have ({keys.file} is missing). Give the load test a database of its own, or pass --regenerate "
                "to drop this one and generate it again."
            )
        keys.keep()
    call_command("load_reference_data", verbosity=0)
    if not Referral.objects.exists():
        print(f"Generating the {args.size} partnership (seed {args.seed}) into {common.database_label()}…", flush=True)
        started = time.monotonic()
        call_command("generate_partnership", size=args.size, seed=args.seed)
        print(f"Generated in {time.monotonic() - started:,.0f} s", flush=True)
    try:
        _read_something_encrypted()
    except ImproperlyConfigured:
        raise SystemExit(
            f"The data in {common.database_label()} was encrypted under other keys than "
            f"{keys.file}'s: pass --regenerate."
        ) from None
    counts = staff.mix(args.users)
    accounts = staff.prepare(counts)
    staff.check_targets(accounts)
    described = f"{common.database_label()}: {Person.objects.count():,} people, {Referral.objects.count():,} referrals"
    return described, accounts, counts


def _read_something_encrypted():
    from hoth.cases.models import CaseNote

    note = CaseNote.objects.order_by("pk").first()
    return note.what if note else None


# ---------------------------------------------------------------- the run


def run(args, server_env, keys, run_dir, plan, counts):
    import machine
    import servers

    locust = None
    with servers.Service(server_env, run_dir) as service:
        groups = {
            "gunicorn": machine.process_tree(service.gunicorn.pid),
            "Caddy": machine.process_tree(service.caddy.pid),
            "Locust": lambda: machine.process_tree(locust.pid)() if locust else [],
        }
        if server_env["DATABASE_URL"].startswith("postgres"):
            groups["PostgreSQL"] = machine.database_backends(keys.database)
        workers = service.workers
        monitor = machine.Monitor(groups)
        monitor.start()
        results = run_dir / "results.json"
        env = {
            **os.environ,
            "HOTH_LOAD_PLAN": str(plan),
            "HOTH_LOAD_CA": str(service.cert),
            "HOTH_LOAD_RESULTS": str(results),
            "HOTH_LOAD_TIMEOUT": str(args.timeout),
        }
        users = sum(counts.values())
        command = [
            sys.executable,
            "-m",
            "locust",
            "--locustfile",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(args.spawn_rate),
            "--run-time",
            f"{args.duration}s",
            "--stop-timeout",
            str(STOP_TIMEOUT),
            "--host",
            service.url,
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        # Locust stops itself after --run-time; this is the bound if it does not.
        limit = args.duration + users / args.spawn_rate + STOP_TIMEOUT + 120
        print(
            f"Running {users} virtual users for {args.duration} s against {service.url} ({workers} gunicorn workers)…",
            flush=True,
        )
        with (run_dir / "locust.log").open("w") as log:
            locust = subprocess.Popen(
                command, cwd=HERE / "load", env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                locust.wait(timeout=limit)
                finished = True
            except subprocess.TimeoutExpired:
                finished = False
            finally:
                if locust.poll() is None:
                    os.killpg(locust.pid, signal.SIGKILL)
                    locust.wait()
        monitor.stop()
    if not results.exists():
        raise SystemExit(f"Locust wrote no results (exit {locust.returncode}): see {run_dir / 'locust.log'}")
    return {
        "results": json.loads(results.read_text()),
        "finished": finished,
        "workers": workers,
        "monitor": monitor,
        "statuses": statuses(service.gunicorn_log),
    }


ACCESS_LINE = re.compile(r'" (\d{3}) \S+ \d+ms$')


def statuses(log):
    """What gunicorn's log says: status codes, worker timeouts, tracebacks and
    workers started (max_requests recycles each worker now and then)."""
    text = log.read_text(errors="replace")
    codes = Counter(m.group(1) for m in (ACCESS_LINE.search(line) for line in text.splitlines()) if m)
    return {
        "codes": codes,
        "timeouts": text.count("WORKER TIMEOUT"),
        "tracebacks": text.count("Traceback"),
        "booted": text.count("Booting worker"),
    }


def measure_alone(examples):
    """Each page again with the service stopped and no load but the
    machine's own: the SQL queries of one request, and the median time of
    three more through Django's test client (no proxy, no gunicorn), as the
    account that made it in the run. What a page costs by itself, to tell it
    from waiting for a worker or a core."""
    import statistics

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from front_door import signed_in_client

    setup_test_environment(debug=False)
    clients, measured = {}, {}
    for name, example in examples.items():
        if example["method"] != "GET" or name.startswith("sign in"):
            continue
        if example["email"] not in clients:
            user = get_user_model().objects.get(email=example["email"])
            clients[example["email"]] = signed_in_client(user)[0]
        client = clients[example["email"]]
        with CaptureQueriesContext(connection) as captured:
            response = client.get(example["path"], secure=True)
        # Counted now: the next request's start empties the connection's log.
        queries = len(captured)
        if response.status_code != 200:
            continue
        times = []
        for _ in range(3):
            with common.Timer() as timer:
                client.get(example["path"], secure=True)
            times.append(timer.ms)
        measured[name] = (queries, statistics.median(times))
    return measured


# ---------------------------------------------------------------- the report


def report(args, described, counts, think, outcome, alone):
    samples = outcome["results"]["samples"]
    rows, failures, all_times = [], {}, []
    for name, entries in samples.items():
        times = [ms for ms, _ in entries]
        failed = [error for _, error in entries if error]
        all_times += times
        if failed:
            failures[name] = Counter(failed)
        s = common.summarise(times)
        queries, by_itself = alone.get(name, ("", ""))
        rows.append((name, s["n"], len(failed), s["p50"], s["p95"], s["max"], queries, by_itself))
    rows.sort(key=lambda row: -row[4])
    total_failed = sum(row[2] for row in rows)
    mix = ", ".join(f"{n} {role.replace('_', ' ')}{'s' if n != 1 else ''}" for role, n in counts.items() if n)
    print(f"\nLoad test on {described}")
    print(
        f"{sum(counts.values())} virtual users ({mix}) for {args.duration} s, {think[0]:g} to {think[1]:g} s "
        f"between pages; gunicorn with {outcome['workers']} workers behind Caddy, production settings\n"
    )
    if rows:
        everything = common.summarise(all_times)
        rows.append(
            (
                "all requests",
                everything["n"],
                total_failed,
                everything["p50"],
                everything["p95"],
                everything["max"],
                "",
                "",
            )
        )
        common.table(["page", "requests", "failures", "p50 ms", "p95 ms", "max ms", "queries", "alone ms"], rows)
        if alone:
            print(
                "(queries and alone: one request of the page, then the median of three, after the run "
                "through Django's test client with no load but the machine's own)"
            )
    print()
    for line in outcome["monitor"].report():
        print(line)
    log = outcome["statuses"]
    print(
        "gunicorn answered: "
        + (", ".join(f"{code} x{n:,}" for code, n in sorted(log["codes"].items())) or "nothing")
        + f"; worker timeouts {log['timeouts']}, tracebacks {log['tracebacks']}, workers recycled "
        f"{max(0, log['booted'] - outcome['workers'])}"
    )
    if all_times:
        print(f"Throughput: {len(all_times) / args.duration:.1f} requests a second over the run")
    for name, errors in failures.items():
        print(f"Failed, {name}: " + "; ".join(f"{error} (x{n})" for error, n in errors.most_common(5)))
    if not outcome["finished"]:
        print("Locust did not stop by itself within the time allowed: stopped.")
    passed = outcome["finished"] and total_failed == 0 and bool(rows) and not log["timeouts"]
    print(
        f"\n{'PASSED' if passed else 'FAILED'}: {total_failed} failed requests"
        + (f" of {len(all_times):,}" if all_times else "")
    )
    return passed


if __name__ == "__main__":
    main()
