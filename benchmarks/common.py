"""Shared set-up for the benchmark scripts: Django, a database of the
benchmark's own, and plain-text tables.

Each script runs on the database in DATABASE_URL (PostgreSQL for figures that
mean anything) or, without it, on an SQLite file of its own in the system's
temporary directory, never on the developer's hoth.sqlite3.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(name):
    """Point Django at the benchmark's database, set it up, and migrate it."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("HOTH_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoth.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / f'hoth-bench-{name}.sqlite3'}")
    import django

    django.setup()
    migrate()


def migrate():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def database_label():
    from django.db import connection

    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


def recreate_database():
    """Start again from an empty database (drops it: benchmark databases only)."""
    from django.db import connection

    settings = connection.settings_dict
    connection.close()
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(settings["NAME"]) + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
            admin.execute(f'CREATE DATABASE "{settings["NAME"]}"')
    migrate()


def percentile(values, p):
    """Nearest-rank percentile: a value that was actually measured."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def summarise(values):
    return {"n": len(values), "p50": statistics.median(values), "p95": percentile(values, 95), "max": max(values)}


def table(headers, rows):
    """Print rows as a plain table, numbers right-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], (int, float)) for row in rows) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(c.rjust(w) if numeric[i] else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _cell(value):
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


class Timer:
    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self.ms = self.seconds * 1000
