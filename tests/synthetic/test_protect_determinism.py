"""The same seed and the same day give the same Protect side, row for row,
and the same Pursue side with its disruption histories
(tests/synthetic/pursue_snapshot.py) from the same two generations.

Separate from test_protect.py, whose module-wide partnership would still be
in the database while these generate their own."""

from datetime import date

import pytest

from hoth.cases.models import CaseMember, CaseNote, CaseStatusChange, NrmReferral
from hoth.panels.models import Meeting
from hoth.plans.models import Plan, Review
from hoth.synthetic.generator import generate

from . import pursue_snapshot
from .cleanup import start_again

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def snapshot():
    """What must not change between two runs, in a stable order and decrypted."""
    plans = [
        (
            p.case.reference,
            p.version,
            p.child_wants,
            p.review_date,
            [g.text for g in p.goals.all()],
            sorted((a.what, a.owner.email, a.due_date, a.status) for a in p.actions.select_related("owner")),
            sorted((r.service.name, r.status, r.referred_on) for r in p.service_referrals.select_related("service")),
            [(v.number, v.what_changed, v.saved_at) for v in p.versions.order_by("number")],
        )
        for p in Plan.objects.select_related("case").order_by("case__reference")
    ]
    reviews = sorted(
        (r.case.reference, r.held_on, r.child_feels_safe, r.practitioner_rating, r.what_changed)
        for r in Review.objects.select_related("case")
    )
    notes = sorted(
        (
            n.case.reference,
            n.happened_at,
            n.kind,
            n.what,
            n.is_restricted,
            tuple(sorted(a.name for a in n.restricted_to.all())),
        )
        for n in CaseNote.objects.select_related("case")
    )
    team = sorted(
        (m.case.reference, m.user.email, m.role, m.added_at) for m in CaseMember.objects.select_related("case", "user")
    )
    changes = sorted(
        (c.case.reference, c.kind, c.reason, c.at, c.outcome_summary)
        for c in CaseStatusChange.objects.select_related("case")
    )
    nrm = sorted(
        (r.case.reference, r.referred_on, r.rg_decided_on, r.cg_decided_on)
        for r in NrmReferral.objects.select_related("case")
    )
    panels = [
        (
            m.starts_at,
            m.status,
            m.chair.email,
            [
                (
                    i.position,
                    i.section,
                    i.status,
                    i.person.reference if i.person else i.theme,
                    i.panel_decision,
                    sorted((a.description, a.owner.email, a.due_date) for a in i.actions.select_related("owner")),
                )
                for i in m.items.select_related("person")
            ],
        )
        for m in Meeting.objects.filter(kind=Meeting.Kind.PANEL).select_related("chair").order_by("starts_at")
    ]
    return plans, reviews, notes, team, changes, nrm, panels


def test_the_same_seed_and_day_give_the_same_protect_and_pursue_sides():
    # The data protection officer's demo writes audit events naming the demo
    # officer, which keep their account: start_again() could not empty the users.
    generate("tiny", seed=5, today=TODAY, information_governance=False)
    first, pursue = snapshot(), pursue_snapshot.snapshot()
    assert all(first), "every part of the Protect side was generated"
    assert all(pursue), "every part of the Pursue side was generated"
    assert all(pursue[-1]), "plans, activities and reviews of disruption were generated"
    start_again()
    generate("tiny", seed=5, today=TODAY, information_governance=False)
    assert snapshot() == first
    assert pursue_snapshot.snapshot() == pursue


def test_without_the_front_door_there_is_no_protect_side():
    generator = generate("tiny", seed=11, front_door=False)
    assert not Plan.objects.exists() and not Meeting.objects.exists()
    assert "Plan" not in generator.counts
