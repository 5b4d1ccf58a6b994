"""Synthetic files of historic intelligence for hoth.intelligence.imports,
as an earlier police system might export them: for the import's tests and
its benchmark under load (benchmarks/import_under_load.py).

Every row is one the import accepts, unless `bad_every` asks for a broken
row now and then (an agency nobody knows, a date that is not one)."""

import csv
import io
import random
from datetime import date, timedelta

COLUMNS = (
    "reference",
    "agency",
    "submitted_on",
    "what",
    "happened_on",
    "where",
    "postcode",
    "who",
    "how_known",
    "harm_types",
    "scheme",
    "source_evaluation",
    "intelligence_assessment",
    "handling_code",
    "handling_conditions",
    "shared_with",
    "sanitised",
)
SEEN = (
    "Seen getting into a taxi with two older males",
    "Reported to be holding drugs for an older male",
    "Seen with large amounts of cash and a new phone",
    "Named as a runner on a phone line",
    "Seen at the address late at night with unknown adults",
    "Reported to be carrying a knife",
)
WHERE = (
    "Outside the railway station",
    "At the flats on the high street",
    "Behind the takeaway",
    "In the park near the skate ramp",
    "At the bus station",
)
LEGACY_SOURCES, LEGACY_INTELLIGENCE, LEGACY_HANDLING = "ABCDE", "1234", "1234"
NATIONAL_SOURCES, NATIONAL_INTELLIGENCE, NATIONAL_HANDLING = "123", "ABCD", "PPPC"


def historic_intelligence_csv(
    rows,
    *,
    agency,
    harm_codes,
    postcodes=(),
    seed=1,
    prefix="OLD",
    first_day=date(2010, 1, 1),
    last_day=date(2015, 12, 31),
    bad_every=0,
):
    """A CSV text of `rows` reports from `agency` (its name), tagged with
    some of `harm_codes`, located at some of `postcodes` (or none)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    span = (last_day - first_day).days
    for n in range(1, rows + 1):
        happened = first_day + timedelta(days=rng.randint(0, span))
        legacy = rng.random() < 0.7
        row = {
            "reference": f"{prefix}/{happened.year % 100:02d}/{n:06d}",
            "agency": agency,
            "submitted_on": (happened + timedelta(days=rng.randint(0, 14))).isoformat(),
            "what": rng.choice(SEEN),
            "happened_on": happened.isoformat(),
            "where": rng.choice(WHERE),
            "postcode": rng.choice(postcodes) if postcodes and rng.random() < 0.8 else "",
            "who": f"A male known as '{rng.choice(('T', 'Blade', 'Ghost', 'Snowy', 'Ace'))}', about 20",
            "how_known": "record",
            "harm_types": ";".join(rng.sample(list(harm_codes), k=min(len(harm_codes), rng.randint(1, 2)))),
            "scheme": "5x5x5" if legacy else "3x5x2",
            "source_evaluation": rng.choice(LEGACY_SOURCES if legacy else NATIONAL_SOURCES),
            "intelligence_assessment": rng.choice(LEGACY_INTELLIGENCE if legacy else NATIONAL_INTELLIGENCE),
            "handling_code": rng.choice(LEGACY_HANDLING if legacy else NATIONAL_HANDLING),
            # Given on every row: the import keeps them only where the handling code calls for them.
            "handling_conditions": "Police and children's social care only",
            "shared_with": agency,
            "sanitised": "Historic partner intelligence about exploitation; details held by the police.",
        }
        if bad_every and n % bad_every == 0:
            row["agency"], row["submitted_on"] = "Nowhere Police", f"{happened.year}-13-01"
        writer.writerow([row[c] for c in COLUMNS])
    return out.getvalue()
