"""The bank holidays: one list, reference data, read by every clock that counts working days."""

from datetime import date

import pytest

from hoth.audit.models import AuditEvent
from hoth.working_days import reference
from hoth.working_days.holidays import bank_holidays
from hoth.working_days.models import BankHoliday

PAGE = "/manage/reference-data/bank-holidays/"


def test_the_published_list_loads_and_loading_again_changes_nothing(db):
    first = reference.load()
    assert first.startswith("56 bank holidays")
    assert reference.load() == first and BankHoliday.objects.count() == 56
    assert date(2026, 12, 28) in bank_holidays()  # Boxing Day's substitute: 26 December 2026 is a Saturday
    assert all(day.weekday() < 5 for day in bank_holidays())


def test_an_administrator_adds_a_special_bank_holiday_and_the_clocks_see_it_at_once(users, verified_client):
    reference.load()
    assert date(2026, 5, 8) not in bank_holidays()
    admin = verified_client(users["system_admin"])
    response = admin.post(PAGE, {"day_0": "8", "day_1": "5", "day_2": "2026", "name": "A special bank holiday"})
    assert response.status_code == 302
    assert date(2026, 5, 8) in bank_holidays()
    event = AuditEvent.objects.get(action="admin")
    assert event.detail == {
        "reference_data": "bank_holidays",
        "change": "added",
        "day": "2026-05-08",
        "name": "A special bank holiday",
    }
    # Loading the published list again keeps the day an administrator added.
    reference.load()
    assert BankHoliday.objects.get(day=date(2026, 5, 8)).version == ""
    assert "Added here" in admin.get(PAGE).content.decode()


@pytest.mark.parametrize(
    "answers, message",
    [
        (
            {"day_0": "9", "day_1": "5", "day_2": "2026", "name": "Saturday"},
            "A bank holiday falls on a weekday: weekends are never working days",
        ),
        ({"day_0": "25", "day_1": "12", "day_2": "2026", "name": "Again"}, "That day is already a bank holiday"),
        ({"day_0": "8", "day_1": "5", "day_2": "2026", "name": ""}, "Enter the name of the bank holiday"),
    ],
)
def test_a_day_that_cannot_be_a_bank_holiday_is_refused_with_why(users, verified_client, answers, message):
    reference.load()
    before = BankHoliday.objects.count()
    page = verified_client(users["system_admin"]).post(PAGE, answers).content.decode()
    assert "There is a problem" in page and message in page
    assert BankHoliday.objects.count() == before


def test_removing_a_day_makes_it_a_working_day_again(users, verified_client):
    holiday = BankHoliday.objects.create(day=date(2026, 5, 8), name="A special bank holiday")
    assert date(2026, 5, 8) in bank_holidays()
    verified_client(users["system_admin"]).post(f"{PAGE}{holiday.pk}/remove/")
    assert date(2026, 5, 8) not in bank_holidays()
    assert AuditEvent.objects.get(action="admin").detail["change"] == "removed"
