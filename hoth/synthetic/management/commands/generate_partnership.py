"""Fill an empty database with a synthetic Cheshire East partnership.

For demonstrations, tests and benchmarks only: production never runs this.
"""

import os
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from hoth.people.models import Person
from hoth.synthetic.directory import generate_directory
from hoth.synthetic.generator import SIZES, Generator


class Command(BaseCommand):
    help = (
        "Generate a synthetic partnership (agencies, users, children and adults, three years of "
        "referrals, screenings, meetings, cases, tasks and missing episodes, the support directory, and "
        "the cases' teams, plans, reviews, notes, closures, NRM referrals and the monthly panel, and the "
        "intelligence picture: people, places, vehicles and phones of concern, planted exploitation networks, "
        "graded intelligence and links, proposals, alerts and hotspots, and disruption plans, orders, notices, "
        "breaches, outcomes and reviews against them) from a seed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="small",
            help="tiny (tests), small (demo, seconds), medium (80,000 people, minutes), "
            "large (about a million people, benchmarks only)",
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed always gives the same partnership")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="The day the three years of referrals, meetings and tasks end on (YYYY-MM-DD; "
            "default: today). The same seed and day always give the same history.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the register already holds people (safe to run every time)",
        )

    def handle(self, *args, size, seed, if_empty, today=None, **options):
        # Demo users share a published password: never let that near live data.
        # Read from the environment, not settings.DEBUG, which test runners turn off.
        if not any(
            os.environ.get(flag, "").lower() in {"1", "true", "yes", "on"}
            for flag in ("HOTH_DEBUG", "HOTH_ALLOW_SYNTHETIC_DATA")
        ):
            raise CommandError(
                "The synthetic partnership has demo users with a published password, so it is only generated on "
                "a development machine (HOTH_DEBUG=1) or a demonstration site (HOTH_ALLOW_SYNTHETIC_DATA=1). "
                "Production never runs this command."
            )
        if if_empty and Person.objects.exists():
            self.stdout.write("The register already holds people: nothing generated.")
            return
        self.stdout.write(f"Generating a {size} synthetic partnership from seed {seed}…")
        generator = Generator(size=size, seed=seed, out=self.stdout.write, today=today)
        counts = generator.run()
        if "Service (support directory)" not in counts:  # the generator makes it before the Protect side
            counts["Service (support directory)"] = len(generate_directory(seed, today))
        width = max(len(name) for name in counts)
        self.stdout.write("")
        self.stdout.write(f"{'Model'.ljust(width)}  {'Rows':>10}")
        self.stdout.write(f"{'-' * width}  {'-' * 10}")
        for name, count in counts.items():
            self.stdout.write(f"{name.ljust(width)}  {count:>10,}")
        self.stdout.write(f"{'-' * width}  {'-' * 10}")
        self.stdout.write(f"{'Seconds'.ljust(width)}  {generator.seconds:>10.1f}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {generator.n_children:,} children and {generator.n_adults:,} adults "
                f"({counts.get('Person', 0):,} records, including other agencies' records of the same people)."
            )
        )
