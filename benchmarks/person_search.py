"""How fast, and how well, the person search answers at the medium size.

    HOTH_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoth_bench_synthetic \
        .venv/bin/python benchmarks/person_search.py [--queries 200] [--seed 1]

Generates the medium partnership first if the database holds no people. Then
runs representative searches (a full name, a misspelt surname, a nickname, a
name with a date of birth or a month of birth, a date of birth alone, a
postcode, an NHS number as people type it, a phone number) through
hoth.people.search.search_people, the same function the pages and the API use,
as the demo coordinator (who sees the whole register) and the demo
practitioner (who sees their caseload). Goal: p95 under 100 ms on PostgreSQL.

"Found" is how often the person the query was made from is among the results
(coordinator only: a practitioner rightly cannot find most people).
"""

import argparse
import random

import common


def sample_people(rng, count):
    """Primary records, chosen by cluster number so the sample is the same on every database."""
    from hoth.people.models import Person
    from hoth.synthetic.models import TrueIdentity

    clusters = TrueIdentity.objects.filter(is_primary=True).count()
    chosen = sorted(rng.sample(range(clusters), min(count, clusters)))
    return Person.objects.filter(true_identity__is_primary=True, true_identity__cluster_id__in=chosen)


def build_queries(rng, people):
    """Queries made from the register's own people, as practitioners type them."""
    from hoth.people.models import DobPrecision
    from hoth.synthetic.data import NICKNAMES
    from hoth.synthetic.perturb import typo

    people = people.prefetch_related("addresses", "identifiers", "phone_numbers").order_by("reference")
    kinds = [
        "full name",
        "misspelt surname",
        "nickname",
        "name and date of birth",
        "name and month of birth",
        "date of birth",
        "postcode",
        "NHS number",
        "phone number",
        "surname only",
    ]
    queries = []
    for n, person in enumerate(people):
        kind = kinds[n % len(kinds)]
        first = person.given_names.split()[0]
        q = {"name": ""}
        if kind == "full name":
            q["name"] = f"{person.given_names} {person.family_name}"
        elif kind == "misspelt surname":
            q["name"] = f"{first} {typo(rng, person.family_name)}"
        elif kind == "nickname":
            q["name"] = f"{rng.choice(NICKNAMES.get(first, [first]))} {person.family_name}"
        elif kind == "name and date of birth" and person.date_of_birth:
            q.update(name=f"{first} {person.family_name}", date_of_birth=person.date_of_birth)
        elif kind == "name and month of birth" and person.date_of_birth:
            q.update(
                name=f"{first} {person.family_name}",
                date_of_birth=person.date_of_birth.replace(day=1),
                dob_precision=DobPrecision.MONTH,
            )
        elif kind == "date of birth" and person.date_of_birth:
            q["date_of_birth"] = person.date_of_birth
        elif kind == "postcode" and person.addresses.all():
            q["postcode"] = person.addresses.all()[0].postcode.replace(" ", "").lower()
        elif kind == "NHS number" and any(i.scheme == "nhs" for i in person.identifiers.all()):
            value = next(i.value for i in person.identifiers.all() if i.scheme == "nhs")
            q["identifier"] = f"{value[:3]} {value[3:6]} {value[6:]}"
        elif kind == "phone number" and person.phone_numbers.all():
            e164 = person.phone_numbers.all()[0].e164
            q["phone"] = "0" + e164[3:7] + " " + e164[7:]
        elif kind == "surname only":
            q["name"] = person.family_name
        else:
            kind = "full name"
            q["name"] = f"{person.given_names} {person.family_name}"
        queries.append((kind, person.pk, q))
    return queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1, help="seed for generating the register if it is empty")
    args = parser.parse_args()
    common.setup("synthetic")

    from django.core.management import call_command, get_commands

    from hoth.accounts.models import User
    from hoth.people.models import Person
    from hoth.people.search import search_people
    from hoth.synthetic.generator import Generator, demo_email

    if not Person.objects.exists():
        print("The register is empty: generating the medium partnership…")
        generator = Generator(size="medium", seed=args.seed)
        generator.run()
        print(f"Generated in {generator.seconds:.0f} s")
    if "load_reference_data" in get_commands():
        call_command("load_reference_data", verbosity=0)

    users = {role: User.objects.get(email=demo_email(role)) for role in ("coordinator", "practitioner")}
    rng = random.Random(2026)
    queries = build_queries(rng, sample_people(rng, args.queries))
    # A practitioner mostly looks for the children they work with, and sometimes
    # for someone they cannot see (who must not be found).
    caseload = build_queries(rng, Person.objects.visible_to(users["practitioner"]))
    plans = {"coordinator": queries, "practitioner": caseload + queries[: max(0, args.queries - len(caseload))]}
    for _kind, _, q in queries[:10]:  # warm the connection, caches and the variant index
        search_people(users["coordinator"], **q)

    timings, found, results = {}, {}, {}
    visible = set(Person.objects.visible_to(users["practitioner"]).values_list("pk", flat=True))
    for role, user in users.items():
        for kind, target, q in plans[role]:
            with common.Timer() as t:
                matches = search_people(user, limit=50, **q)
            for key in ((role, kind), (role, "all")):
                timings.setdefault(key, []).append(t.ms)
                results.setdefault(key, []).append(len(matches))
                if role == "coordinator" or target in visible:
                    found.setdefault(key, []).append(any(m.person.pk == target for m in matches))
            if role == "practitioner":
                assert all(m.person.pk in visible for m in matches), "a search showed someone out of scope"

    print(
        f"\nPerson search on {common.database_label()}: {Person.objects.count():,} person records; "
        f"{len(queries)} queries as the coordinator; as the practitioner {len(caseload)} for people on their "
        f"caseload and {len(plans['practitioner']) - len(caseload)} for others\n"
    )
    rows = []
    kinds = sorted({k for _, k in timings if k != "all"}) + ["all"]
    for role in users:
        for kind in kinds:
            times = timings[(role, kind)]
            s = common.summarise(times)
            hit = found.get((role, kind))
            rows.append(
                (
                    role,
                    kind,
                    s["n"],
                    s["p50"],
                    s["p95"],
                    s["max"],
                    sum(results[(role, kind)]) / len(times),
                    f"{100 * sum(hit) / len(hit):.0f}%" if hit else "-",
                )
            )
    common.table(["user", "query", "n", "p50 ms", "p95 ms", "max ms", "results (mean)", "found"], rows)
    overall = common.summarise(timings[("coordinator", "all")] + timings[("practitioner", "all")])
    verdict = "meets" if overall["p95"] < 100 else "misses"
    print(
        f"\nAll searches: p50 {overall['p50']:.1f} ms, p95 {overall['p95']:.1f} ms, max {overall['max']:.1f} ms "
        f"({verdict} the p95 < 100 ms goal)"
    )


if __name__ == "__main__":
    main()
