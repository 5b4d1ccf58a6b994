"""A month's figures frozen, worked out again with a reason and its
differences, and read by the dashboard without showing a small count."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hoth.analytics.suppression import SMALLEST_SHOWN
from hoth.audit.models import AuditEvent
from hoth.insight import jobs, services
from hoth.insight.models import Figure, Frequency, Snapshot
from hoth.people.models import Person
from hoth.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_the_job_scheduler_freezes_the_last_month_once(partnership):
    first = jobs.freeze_last_month(None, None)
    assert "frozen" in first["summary"] and first["count"] > 0
    again = jobs.freeze_last_month(None, None)
    assert again["count"] == 0
    snapshot = Snapshot.objects.get()
    assert snapshot.month == services.last_ended_month() and snapshot.taken_by is None
    assert snapshot.as_of == services.month_end(snapshot.month)
    event = AuditEvent.objects.get(action="create", object_type="insight.Snapshot")
    assert event.actor == "monthly figures"


def test_a_month_not_ended_cannot_be_frozen(partnership):
    this_month = services.month_of(timezone.localdate())
    with pytest.raises(services.NotEnded, match="has not ended yet"):
        services.take_snapshot(this_month)


def test_only_managers_and_the_scheduler_may_freeze_figures(staff):
    with pytest.raises(PermissionDenied):
        services.take_snapshot(services.last_ended_month(), user=staff["coordinator"], reason="x")


def test_every_series_covers_36_months_of_whole_quarters(frozen):
    months = Figure.objects.filter(snapshot=frozen, frequency=Frequency.MONTH, measure__code="repeatedly-missing")
    assert months.count() == len(set(months.values_list("period", flat=True)))
    quarters = set(
        Figure.objects.filter(
            snapshot=frozen, frequency=Frequency.QUARTER, breakdown="", measure__code="repeatedly-missing"
        ).values_list("period", flat=True)
    )
    assert frozen.first_period.month in (4, 7, 10, 1) and frozen.first_period.day == 1
    assert 36 <= months.count() <= 38 and len(quarters) == 12 + (frozen.month.month % 3 != 0)


def test_no_small_count_is_shown_and_breakdowns_add_up(frozen):
    for figure in Figure.objects.filter(snapshot=frozen, units_shown=True):
        assert figure.units == 0 or figure.units >= SMALLEST_SHOWN, figure.pk
    assert not Figure.objects.filter(snapshot=frozen, frequency=Frequency.MONTH, units_shown=True).exists()
    whole = {
        (f.measure_id, f.period): f
        for f in Figure.objects.filter(
            snapshot=frozen, frequency=Frequency.QUARTER, breakdown="", measure__counts="children"
        )
    }
    for (measure, period), total in whole.items():
        for breakdown in ("sex", "ethnicity", "age_band", "town"):
            cells = Figure.objects.filter(snapshot=frozen, measure=measure, period=period, breakdown=breakdown)
            if not cells.exists():
                continue
            assert sum(cells.values_list("units", flat=True)) == total.units
            hidden = [c for c in cells if not c.units_shown and c.units]
            # A shown total beside a single hidden count would give it away.
            assert not (total.units_shown and len(hidden) == 1), (measure, period, breakdown)


def test_working_a_month_out_again_needs_a_reason_and_records_what_changed(frozen, staff):
    month = frozen.month
    with pytest.raises(ValueError, match="Say why"):
        services.take_snapshot(month, user=staff["manager"])
    late = timezone.make_aware(datetime.datetime.combine(month.replace(day=10), datetime.time(10)))
    for _ in range(5):
        person = Person.objects.create(
            given_names="Late", family_name="Referral", date_of_birth=datetime.date(2012, 1, 1)
        )
        Referral.objects.create(
            person=person,
            referrer=staff["teacher"],
            referrer_agency=staff["teacher"].agency,
            status="submitted",
            submitted_at=late,
            screen_by=late + datetime.timedelta(days=1),
        )
    again = services.take_snapshot(month, user=staff["manager"], reason="Late referrals from a school")
    frozen.refresh_from_db()
    assert not frozen.is_current and again.is_current and again.replaces == frozen
    changed = {d.measure.code for d in services.differences(again)}
    assert "referred-by-education" in changed
    event = AuditEvent.objects.get(action="update", object_type="insight.Snapshot")
    assert event.reason == "Late referrals from a school" and event.detail["replaces"] == frozen.pk
