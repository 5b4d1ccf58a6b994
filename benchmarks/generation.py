"""How long the synthetic partnership takes to generate, size by size.

The register first, then three years of the front door ending today (the
"of which front door" column), the Protect side, and the Pursue side (the
"of which pursue" column: people and places of concern, planted networks,
graded intelligence and links, hotspots and their background of located
events), and the disruption histories against the planted subjects (the "of
which disruption" column).

    HOTH_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoth_bench_generation \
        .venv/bin/python benchmarks/generation.py [--sizes small,medium] [--seed 1]

Drops and recreates the database before each size: point it at a database
kept for this benchmark.
"""

import argparse

import common


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    common.setup("generation")

    from hoth.synthetic.generator import Generator

    rows = []
    for size in args.sizes.split(","):
        common.recreate_database()
        generator = Generator(size=size, seed=args.seed)
        counts = generator.run()
        total = sum(counts.values())
        rows.append(
            (
                size,
                generator.n_children,
                generator.n_adults,
                counts.get("Person", 0),
                counts.get("Referral", 0),
                counts.get("Subject", 0),
                counts.get("Link (accepted)", 0),
                counts.get("DisruptionActivity", 0),
                total,
                generator.seconds,
                generator.front_door_seconds,
                generator.pursue_seconds,
                generator.disruption_seconds,
                total / generator.seconds,
            )
        )
    print(f"\nGenerating the synthetic partnership on {common.database_label()}, seed {args.seed}\n")
    common.table(
        [
            "size",
            "children",
            "adults",
            "person records",
            "referrals",
            "subjects",
            "accepted links",
            "disruption activities",
            "rows written",
            "seconds",
            "of which front door",
            "of which pursue",
            "of which disruption",
            "rows/s",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
