"""The loaders read the partnership's records through the gate into the
measures' frames: every record they should, in local time, by person key;
and the figures they give match counts made here straight from the database."""

from collections import Counter
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hoth.access import policy
from hoth.access.roles import SCHEDULED_JOB
from hoth.analytics.kpis.registry import CALCULATIONS
from hoth.analytics.kpis.series import summarise
from hoth.cases.models import Case, CaseStatusChange, MissingEpisode
from hoth.insight import loaders
from hoth.people.models import Person
from hoth.referrals.models import Referral
from hoth.screening.models import Screening

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(partnership):
    return loaders.records(SCHEDULED_JOB)


def test_only_managers_and_the_job_scheduler_may_read_for_the_figures(users):
    loaders.records(users["manager"])
    loaders.records(SCHEDULED_JOB)
    for role in ("practitioner", "coordinator", "analyst", "auditor", "system_admin"):
        with pytest.raises(PermissionDenied):
            loaders.records(users[role])


def test_the_job_scheduler_sees_no_record_through_a_scope(partnership):
    assert Person.objects.exists()
    assert not Person.objects.visible_to(SCHEDULED_JOB).exists()
    assert not policy.can(SCHEDULED_JOB, "person.search")


def test_every_record_is_read_once_with_its_person(records):
    # The generator writes today's work at its hours, which may be later than now.
    now = timezone.now()
    assert len(records.referrals) == Referral.objects.filter(person__isnull=False, submitted_at__lte=now).count()
    assert (
        len(records.screenings)
        == Screening.objects.filter(status="complete", completed_at__lte=now).exclude(level="").count()
    )
    assert len(records.cases) == Case.objects.filter(opened_at__lte=now).count()
    assert len(records.missing) == MissingEpisode.objects.filter(started_at__lte=now).count()
    counted = set(records.referrals.person) | set(records.screenings.person) | set(records.missing.person)
    assert counted <= set(records.children.person)
    assert records.children.person.is_unique


def test_pursue_and_partnership_records_are_read_once_each(records):
    from hoth.disruption.models import DisruptionActivity
    from hoth.intelligence.models import IntelligenceReport, Link
    from hoth.panels.models import Attendance
    from hoth.people.models import SharingDecision
    from hoth.tasks.models import Task

    now = timezone.now()
    confirmed = Attendance.objects.filter(meeting__status="confirmed", meeting__starts_at__lte=now)
    assert len(records.activities) == DisruptionActivity.objects.count()
    assert len(records.reports) == IntelligenceReport.objects.filter(submitted_at__lte=now).count()
    assert len(records.links) == Link.objects.filter(decided_at__lte=now).count()
    assert len(records.attendance) == confirmed.count()
    assert records.attendance.present.sum() == confirmed.filter(status="present").count()
    assert len(records.sharing) == SharingDecision.objects.filter(decided_at__lte=now).count()
    assert len(records.actions) == Task.objects.filter(meeting_action__isnull=False).count()


def test_times_are_local_and_closures_keep_their_reason(records):
    first = Referral.objects.filter(person__isnull=False, submitted_at__isnull=False).order_by("submitted_at").first()
    row = records.referrals.set_index("referral").loc[first.pk]
    assert row.submitted_at.to_pydatetime() == timezone.localtime(first.submitted_at).replace(tzinfo=None)
    closings = CaseStatusChange.objects.filter(kind="closed")
    assert Counter(records.closures.reason) == Counter(closings.values_list("reason", flat=True))
    for closing in closings.filter(case__status_changes__kind="reopened").distinct():
        reopened = closing.case.status_changes.filter(kind="reopened", at__lt=closing.at).order_by("-at").first()
        opened = reopened.at if reopened else closing.case.opened_at
        row = records.closures.loc[records.closures.closed_at == timezone.localtime(closing.at).replace(tzinfo=None)]
        assert row.opened_at.iloc[0] == timezone.localtime(opened).replace(tzinfo=None)


def test_screening_within_the_standard_matches_a_count_made_in_the_database(records):
    calculation = CALCULATIONS["screened-within-standard"]
    found = summarise(calculation, calculation.units(records), records.referrals.submitted_at.min(), records.as_of)
    now = timezone.now()
    expected = Counter()
    for referral in Referral.objects.filter(person__isnull=False, submitted_at__lte=now, screen_by__isnull=False):
        if referral.screened_at is None and referral.screen_by >= now:
            continue
        month = timezone.localtime(referral.submitted_at).strftime("%Y-%m")
        on_time = referral.screened_at is not None and referral.screened_at <= referral.screen_by
        expected[month, "all"] += 1
        expected[month, "on time"] += on_time
    for row in found.itertuples():
        assert (row.units, row.numerator) == (expected[row.period, "all"], expected[row.period, "on time"]), row.period


def test_as_of_reads_the_records_as_they_stood(partnership):
    earlier = timezone.make_aware(datetime(2025, 1, 1))
    then = loaders.records(SCHEDULED_JOB, as_of=earlier)
    assert (then.referrals.submitted_at <= then.as_of).all()
    assert len(then.referrals) == Referral.objects.filter(person__isnull=False, submitted_at__lte=earlier).count()
    assert then.closures.closed_at.le(then.as_of).all()
