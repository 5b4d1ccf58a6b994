"""Load a year's child population (the denominators of disproportionality)
from a CSV file, as the reference data page does: all or nothing, every
problem listed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoth.insight import population


class Command(BaseCommand):
    help = "Load the child population by year, town, age, sex and ethnic group from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV with the header year,area,age,sex,ethnicity,population")
        parser.add_argument(
            "--source", required=True, help="Where the figures come from, e.g. 'ONS mid-year estimates 2024'"
        )

    def handle(self, *args, file, source, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        loaded = population.load(text, source=source, user=None, actor="manage.py load_population")
        if loaded.problems:
            for problem in loaded.problems:
                self.stderr.write(f"line {problem.line}: {problem.message}")
            raise CommandError(f"Nothing loaded: {len(loaded.problems)} row(s) of {file} are wrong")
        self.stdout.write(f"{loaded.rows:,} rows loaded for {', '.join(map(str, loaded.years))}")
