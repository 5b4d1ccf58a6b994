"""How fast a child's network page answers when the partnership's network is
large: the planted network of benchmarks/network.py written into the
database, then the page read as an analyst and as a coordinator.

    .venv/bin/python benchmarks/network_page.py [--size small|medium|large] [--requests 100] [--seed 1]

benchmarks/network.py times the analysis in memory. A page must first read
the links from the database, through the access gate: this script measures
that whole path. The planted network (``hoth.synthetic.planted_network``) is
written with COPY on PostgreSQL (children and adults as people, every other
subject as a phone, so that the subjects are real rows the gate can check),
once per size: a later run on the same database reuses it.

For ``--requests`` children with links, it times:

- reading the two-hop network (``network_data.load_around``) and answering it
  (``network.neighbourhood`` and ``network.shared_adults``), as the page does;
- the whole page through Django's test client (gate, audit event, template),
  signed in with a second factor.

Then the check an analyst's acceptance of a link runs
(``network_data.load_joined_by`` and ``network.link_alert``), for ``--alerts``
links of each of two kinds. The planted network today is one giant cluster:

- a link between two subjects already in it (one of those children's links):
  the reading from its two ends stops where they meet;
- a new link from a subject with no link today to one of those children: the
  giant cluster must be read whole, and past ``RINGS_UP_TO`` subjects the
  check reads the whole network in one pass. This is the worst case.

Goal at large (1,000,000 subjects, 5,000,000 links): p95 under 200 ms.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import common

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = {"small": (10_000, 50_000), "medium": (100_000, 500_000), "large": (1_000_000, 5_000_000)}
GOAL_MS = 200
BATCH = 200_000


def _defaults(model, explicit):
    """Each concrete column of `model` with a constant for the columns not in
    `explicit`: the field's default, or NULL."""
    columns = []
    for field in model._meta.concrete_fields:
        if field.column in explicit or field.primary_key and "id" in explicit:
            continue
        if field.primary_key:
            continue
        if field.has_default():
            value = field.get_default()
            value = value.value if hasattr(value, "value") else value
        elif field.null:
            value = None
        elif getattr(field, "auto_now", False) or field.get_internal_type() == "DateTimeField":
            value = datetime.now(UTC)
        else:
            value = ""
        columns.append((field.column, value))
    return columns


def _write(model, explicit):
    """Write rows given as {column: sequence} (all the same length), the
    other columns at their defaults: COPY on PostgreSQL, executemany elsewhere."""
    from django.db import connection

    fixed = _defaults(model, explicit)
    names = list(explicit) + [c for c, _ in fixed]
    constants = [v for _, v in fixed]
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(n) for n in names)
    rows = zip(*explicit.values())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *constants))
        else:
            marks = ", ".join(["%s"] * len(names))
            batch = []
            for row in rows:
                batch.append((*row, *constants))
                if len(batch) == BATCH:
                    cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", batch)
                    batch = []
            if batch:
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", batch)


def load(planted, size_name):
    """Write the planted network: people, phones, subjects, accepted links."""
    import numpy as np
    from django.db import connection, transaction

    from hoth.analytics.network import Kind
    from hoth.intelligence.models import NETWORK_LINK_TYPE, Link, Phone, Subject
    from hoth.people.models import Person

    subjects, links = planted.subjects, planted.links
    ids = subjects.ids
    person = (subjects.kind == Kind.CHILD) | (subjects.kind == Kind.ADULT)
    today = datetime.now(UTC).date()
    child_dob = np.datetime64(today.replace(year=today.year - 14))
    adult_dob = np.datetime64(today.replace(year=today.year - 30))
    code_of = {int(code): name for name, code in NETWORK_LINK_TYPE.items()}
    # The planted grades 0 to 4 as 3x5x2 gradings, weakest first.
    grading = [("3", "E"), ("3", "C"), ("2", "C"), ("2", "B"), ("1", "A")]
    keep = links.source != links.target
    with transaction.atomic():
        people = ids[person]
        _write(
            Person,
            {
                "id": people.tolist(),
                "reference": [f"P-B{i:08d}" for i in people],
                "given_names": [f"Given{i}" for i in people],
                "family_name": [f"Family{i}" for i in people],
                "family_name_key": ["FAMILY"] * len(people),
                "given_name_key": ["GIVEN"] * len(people),
                "date_of_birth": [(child_dob if k == Kind.CHILD else adult_dob).item() for k in subjects.kind[person]],
                "intelligence_subject": [True] * len(people),
            },
        )
        phones = ids[~person]
        _write(
            Phone,
            {
                "id": phones.tolist(),
                "reference": [f"T-B{i:08d}" for i in phones],
                "e164": [f"+4477{i:08d}" for i in phones],
            },
        )
        _write(
            Subject,
            {
                "id": ids.tolist(),
                "reference": [f"{'P' if p else 'T'}-B{i:08d}" for i, p in zip(ids, person)],
                "kind": ["person" if p else "phone" for p in person],
                "person_id": [int(i) if p else None for i, p in zip(ids, person)],
                "phone_id": [None if p else int(i) for i, p in zip(ids, person)],
                "of_concern": subjects.of_concern.tolist(),
            },
        )
        grades = links.grade[keep]
        _write(
            Link,
            {
                "id": links.ids[keep].tolist(),
                "source_id": links.source[keep].tolist(),
                "target_id": links.target[keep].tolist(),
                "type": [code_of[int(k)] for k in links.kind[keep]],
                "status": ["accepted"] * int(keep.sum()),
                "scheme": ["3x5x2"] * int(keep.sum()),
                "source_evaluation": [grading[g][0] for g in grades],
                "intelligence_assessment": [grading[g][1] for g in grades],
                "valid_from": [None if np.isnat(d) else d.item() for d in links.valid_from[keep]],
                "valid_to": [None if np.isnat(d) else d.item() for d in links.valid_to[keep]],
                "confidence": ["high" if c >= 0.8 else "medium" if c >= 0.6 else "low" for c in links.confidence[keep]],
            },
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Person, Phone, Subject, Link):
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Loaded {size_name}: {len(ids):,} subjects, {int(keep.sum()):,} links")


def users():
    """An analyst and a coordinator of a police force and a council."""
    from hoth.accounts.models import Agency, AgencyType, Role, RoleAssignment, User

    police, _ = Agency.objects.get_or_create(name="Benchmark Constabulary", defaults={"type": AgencyType.POLICE})
    council, _ = Agency.objects.get_or_create(
        name="Benchmark Council", defaults={"type": AgencyType.CHILDRENS_SOCIAL_CARE}
    )
    made = {}
    for label, agency, role in (("analyst", police, Role.ANALYST), ("coordinator", council, Role.COORDINATOR)):
        user = User.objects.filter(email=f"{label}@benchmark.example").first()
        if user is None:
            user = User.objects.create_user(
                email=f"{label}@benchmark.example", password=None, agency=agency, full_name=f"Benchmark {label}"
            )
            RoleAssignment.objects.create(user=user, role=role)
        made[label] = User.objects.get(pk=user.pk)
    return made


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small", choices=list(SIZES))
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--alerts", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    common.setup("network-page")

    import numpy as np
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from front_door import signed_in_client

    from hoth.analytics import network
    from hoth.intelligence import reference
    from hoth.intelligence.models import Link, Subject
    from hoth.intelligence.network import data as network_data
    from hoth.synthetic.planted_network import planted_network

    n_subjects, n_links = SIZES[args.size]
    planted = planted_network(n_subjects, n_links, seed=args.seed)
    if Subject.objects.count() != n_subjects:
        print(f"Writing the {args.size} planted network to {common.database_label()}…")
        common.recreate_database()
        reference.load()
        started = time.perf_counter()
        load(planted, args.size)
        print(f"  in {time.perf_counter() - started:.0f} s")
    setup_test_environment(debug=False)
    people = users()
    selection = network_data.current_selection()
    # Children with at least one link valid today, as the page shows them.
    whole = network.build_graph(planted.subjects, planted.links, selection)
    children = whole.ids[(whole.kind == network.Kind.CHILD) & (whole.degree > 0)]
    sample = np.random.default_rng(args.seed).choice(children, size=min(args.requests, len(children)), replace=False)
    references = dict(Subject.objects.filter(pk__in=sample.tolist()).values_list("pk", "reference"))
    rows = []
    for label, user in people.items():
        reads, pages, cpu, sizes, queries = [], [], [], [], []
        client, device = signed_in_client(user)
        try:
            client.get(reverse("subjects:network", args=[references[int(sample[0])]]))  # warm up
            for subject_id in sample.tolist():
                with common.Timer() as t:
                    net = network_data.load_around(subject_id, user=user, selection=selection)
                    hood = network.neighbourhood(net.graph, subject_id, hops=2)
                    network.shared_adults(net.graph, child_id=subject_id)
                reads.append(t.ms)
                sizes.append(len(hood.subjects))
                started = time.process_time()
                with CaptureQueriesContext(connection) as captured, common.Timer() as t:
                    response = client.get(reverse("subjects:network", args=[references[subject_id]]))
                cpu.append((time.process_time() - started) * 1000)
                assert response.status_code == 200, response.status_code
                pages.append(t.ms)
                queries.append(len(captured))
        finally:
            if device is not None:
                device.delete()
        read, page = common.summarise(reads), common.summarise(pages)
        rows.append(
            (
                label,
                read["p50"],
                read["p95"],
                page["p50"],
                page["p95"],
                page["max"],
                statistics.median(cpu),
                int(statistics.median(sizes)),
                max(sizes),
                int(statistics.median(queries)),
            )
        )
    print(
        f"\nA child's two-hop network on {common.database_label()}: {Subject.objects.count():,} subjects, "
        f"{Link.objects.count():,} links; {len(sample)} children a viewer\n"
    )
    common.table(
        [
            "viewer",
            "read p50 ms",
            "read p95 ms",
            "page p50 ms",
            "page p95 ms",
            "page max ms",
            "page cpu p50 ms",
            "subjects p50",
            "subjects max",
            "queries",
        ],
        rows,
    )
    worst = max(r[4] for r in rows)
    print(f"\nWorst page p95 {worst:.1f} ms ({'meets' if worst < GOAL_MS else 'misses'} the p95 < {GOAL_MS} ms goal)")

    lone = whole.ids[whole.degree == 0]
    cases = {
        "a link inside the cluster": list(
            Link.objects.filter(source_id__in=sample.tolist()).order_by("source_id")[: args.alerts]
        ),
        "a lone subject joined to it": [
            Link(source_id=int(a), target_id=int(b)) for a, b in zip(lone[: args.alerts], sample[: args.alerts])
        ],
    }
    rows = []
    for label, links in cases.items():
        checks, sizes = [], []
        for link in links:
            with common.Timer() as t:
                net = network_data.load_joined_by(link, selection=selection)
                network.link_alert(net.graph, link.source_id, link.target_id)
            checks.append(t.ms)
            sizes.append(len(net.nodes))
        check = common.summarise(checks)
        rows.append((label, len(checks), check["p50"], check["max"], int(statistics.median(sizes))))
    print("\nThe alert check on accepting a link\n")
    common.table(["link", "links", "p50 ms", "max ms", "subjects read p50"], rows)


if __name__ == "__main__":
    os.environ.setdefault("HOTH_DEBUG", "1")
    main()
