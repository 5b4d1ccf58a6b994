"""How the service answers while a 20,000-row intelligence import runs as a
background job.

    HOTH_DEBUG=1 [DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoth_bench_import] \
        .venv/bin/python benchmarks/import_under_load.py [--rows 20000] [--users 8] [--smoke]

Uses the partnership in the database (generates the tiny one if it holds no
people), makes 3 accounts per simulated user (analysts, coordinators,
practitioners, panel chairs, with an authenticator each), and writes a
synthetic CSV file of `--rows` reports (hoth.synthetic.import_files).

Then two phases, each with `--users` threads, each thread a user with
Django's test client who signs in (password and a real TOTP code, through
the sign-in pages), opens 15 pages (home, tasks, notifications, their jobs,
intelligence, referrals), signs out, and again:

1. baseline: no import, for `--baseline-seconds`;
2. import: the analyst's file is uploaded through the service
   (hoth.intelligence.imports.start_import) and `manage.py run_worker
   --batch` runs it in a process of its own, as production does; the users
   carry on until the worker has finished.

Prints, per phase, p50, p95 and max in milliseconds of the pages and of the
sign-ins, and their errors (a 5xx, an exception such as "database is
locked", or a sign-in that did not end on the home page); then the import's
own duration (from the worker starting it to its end), its rows per second
and the duration of the publishing transaction. Goal: no error, and pages'
p95 in hundreds of milliseconds, not seconds, during the import.

Sign-ins check the accounts' passwords with a fast hasher, so that their
figures show the database rather than PBKDF2's deliberate half-second (or
more, on a busy machine) of CPU; `--real-hashing` keeps PBKDF2, as
production has it. `--smoke` runs it at a
tiny size (200 rows, 2 users) to show that it works. Earlier benchmark
imports (references starting BENCH/) are removed first, so the file always
imports; the database name can also be given as `--database URL`.
"""

import argparse
import os
import random
import subprocess
import sys
import threading
import time
from itertools import cycle

import common

PAGES = ["/", "/tasks/", "/notifications/", "/jobs/", "/intelligence/", "/referrals/"]
PAGES_PER_SIGN_IN = 15
ACCOUNTS_PER_USER = 3
PREFIX = "BENCH"
PASSWORD = "benchmark password for synthetic data"


def prepare(needed):
    """Reference data, a partnership, and the benchmark's accounts."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from hoth.accounts.models import Agency, AgencyType, Role, RoleAssignment, User
    from hoth.intelligence.models import IntelligenceReport
    from hoth.people.models import Person

    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))
    if not Person.objects.exists():
        print("Generating the tiny partnership ...")
        call_command("generate_partnership", size="tiny", seed=1, stdout=open(os.devnull, "w"))
    IntelligenceReport.objects.filter(imported_reference__startswith=f"{PREFIX}/").delete()
    police = Agency.objects.filter(type=AgencyType.POLICE).order_by("pk").first()
    council = Agency.objects.exclude(type=AgencyType.POLICE).order_by("pk").first()
    roles = [
        (Role.ANALYST, police),
        (Role.COORDINATOR, council),
        (Role.PRACTITIONER, council),
        (Role.PANEL_CHAIR, council),
    ]
    password = make_password(PASSWORD)
    accounts = []
    for n in range(needed):
        role, agency = roles[n % len(roles)]
        user, made = User.objects.update_or_create(
            email=f"bench-{n}@bench.hoth.example",
            defaults={"full_name": f"Benchmark user {n}", "agency": agency, "password": password},
        )
        if made:
            RoleAssignment.objects.create(user=user, role=role)
        accounts.append(user)
    return police, accounts


def device_for(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Benchmark authenticator", defaults={"confirmed": True}
    )
    return device


def fresh_code(device):
    """A code the device has not yet accepted: each code works once, so a
    second sign-in within the same 30 s uses the next step's (the device
    allows one step of drift), and a third waits for a new step."""
    from django_otp.oath import TOTP

    while True:
        device.refresh_from_db()
        for ahead in (0, 1):
            code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
            if code.t() > device.last_t:
                return f"{code.token():06d}"
        time.sleep(1)


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []
        self.failures = []

    def add(self, phase, kind, ms, ok, why=""):
        with self.lock:
            self.rows.append((phase, kind, ms, ok))
            if not ok and len(self.failures) < 10:
                self.failures.append(f"{phase} {kind}: {why}")


def simulated_user(accounts, phase, recorder, stop):
    """Sign in, open pages, sign out, and again, until told to stop."""
    from django.db import connection
    from django.test import Client

    devices = [device_for(user) for user in accounts]
    rotation = cycle(zip(accounts, devices))
    rng = random.Random(accounts[0].pk)
    try:
        while not stop.is_set():
            user, device = next(rotation)
            client = Client()
            code = fresh_code(device)
            started = time.perf_counter()
            try:
                client.post("/account/sign-in/", {"email": user.email, "password": PASSWORD})
                answer = client.post("/account/sign-in/code/", {"code": code})
                ok, why = answer.status_code == 302 and answer["Location"] == "/", f"answered {answer.status_code}"
            except Exception as error:  # noqa: BLE001  an error is what is counted
                ok, why = False, repr(error)
            recorder.add(phase, "sign-in", (time.perf_counter() - started) * 1000, ok, why)
            if not ok:
                continue
            pages = PAGES[:]
            rng.shuffle(pages)
            for url in (pages * 3)[:PAGES_PER_SIGN_IN]:
                if stop.is_set():
                    break
                started = time.perf_counter()
                try:
                    answer = client.get(url)
                    ok, why = answer.status_code < 500, f"{url} answered {answer.status_code}"
                except Exception as error:  # noqa: BLE001
                    ok, why = False, f"{url}: {error!r}"
                recorder.add(phase, "page", (time.perf_counter() - started) * 1000, ok, why)
            try:
                client.post("/account/sign-out/")
            except Exception as error:  # noqa: BLE001
                recorder.add(phase, "page", 0, False, f"sign-out: {error!r}")
    finally:
        connection.close()


def run_phase(name, users, accounts, recorder, until):
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=simulated_user,
            daemon=True,
            args=(accounts[i * ACCOUNTS_PER_USER : (i + 1) * ACCOUNTS_PER_USER], name, recorder, stop),
        )
        for i in range(users)
    ]
    for thread in threads:
        thread.start()
    try:
        until()
    finally:
        stop.set()
        for thread in threads:
            thread.join(120)


def start_import(analyst, police, rows, seed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hoth.intelligence import imports
    from hoth.people.models import Address
    from hoth.referrals.models import HarmType
    from hoth.synthetic.import_files import historic_intelligence_csv

    postcodes = list(Address.objects.exclude(postcode="").values_list("postcode", flat=True).distinct()[:200])
    text = historic_intelligence_csv(
        rows,
        agency=police.name,
        harm_codes=list(HarmType.objects.values_list("code", flat=True)),
        postcodes=postcodes,
        seed=seed,
        prefix=PREFIX,
    )
    upload = SimpleUploadedFile("benchmark.csv", text.encode(), content_type="text/csv")
    return imports.start_import(analyst, upload), len(text.encode())


def worker_process():
    """`manage.py run_worker` in a process of its own, on the same database."""
    return subprocess.Popen(
        [
            sys.executable,
            str(common.ROOT / "manage.py"),
            "run_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--no-scheduler",
            "--verbosity",
            "0",
        ],
        cwd=common.ROOT,
        env=os.environ.copy(),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--baseline-seconds", type=float, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", help="a DATABASE_URL (otherwise DATABASE_URL, or an SQLite file of its own)")
    parser.add_argument("--real-hashing", action="store_true", help="check passwords with PBKDF2, as production")
    parser.add_argument("--smoke", action="store_true", help="a tiny run that shows the benchmark works")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.users, args.baseline_seconds = 200, 2, 1
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    common.setup("import-under-load")
    from django.conf import settings

    from hoth.jobs.models import Job

    if not args.real_hashing:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    users = args.users
    police, accounts = prepare(users * ACCOUNTS_PER_USER)
    analyst = accounts[0]  # the first of every four accounts is an analyst
    print(
        f"Database: {common.database_label()}; {users} simulated users; a file of {args.rows:,} rows; "
        f"passwords checked with {'PBKDF2' if args.real_hashing else 'a fast hasher'}\n"
    )
    recorder = Recorder()

    # Django loads its URLs, templates and the like on first use: not part of any phase.
    warm = threading.Event()
    simulated_thread = threading.Thread(target=simulated_user, args=(accounts[:1], "warm-up", Recorder(), warm))
    simulated_thread.start()
    time.sleep(3)
    warm.set()
    simulated_thread.join()

    run_phase("baseline", users, accounts, recorder, lambda: time.sleep(args.baseline_seconds))

    job, size = start_import(analyst, police, args.rows, args.seed)
    worker = worker_process()
    run_phase("import", users, accounts, recorder, worker.wait)
    job.refresh_from_db()

    rows = []
    for phase in ("baseline", "import"):
        for kind in ("page", "sign-in"):
            found = [r for r in recorder.rows if r[0] == phase and r[1] == kind]
            times = [ms for *_, ms, ok in found if ok] or [0.0]
            summary = common.summarise(times)
            rows.append(
                (
                    phase,
                    f"{kind}s",
                    len(found),
                    sum(1 for *_, ok in found if not ok),
                    summary["p50"],
                    summary["p95"],
                    summary["max"],
                )
            )
    common.table(["phase", "what", "n", "errors", "p50 ms", "p95 ms", "max ms"], rows)
    for failure in recorder.failures:
        print(f"  error: {failure}")

    seconds = (job.finished_at - job.started_at).total_seconds() if job.finished_at and job.started_at else 0.0
    print()
    common.table(
        ["import", "rows", "MB", "status", "seconds", "rows/s", "publish s", "worker exit"],
        [
            (
                job.title,
                args.rows,
                round(size / 1e6, 1),
                job.status,
                seconds,
                round(args.rows / seconds) if seconds else 0,
                float(job.result.get("publish_seconds", 0.0)),
                worker.returncode,
            )
        ],
    )
    if job.failure:
        print(f"  the job said: {job.failure}")
    errors = sum(r[3] for r in rows)
    if job.status != Job.Status.SUCCEEDED or errors or worker.returncode:
        sys.exit(1)


if __name__ == "__main__":
    main()
