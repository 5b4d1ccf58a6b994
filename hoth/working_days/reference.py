"""Reference data: the bank holidays of England and Wales, from GOV.UK's list."""

import json
from datetime import date
from pathlib import Path

from django.db import transaction

from .models import BankHoliday

FIXTURE = Path(__file__).parent / "fixtures" / "bank_holidays.json"


@transaction.atomic
def load():
    """Add the published days and put back their names; days added by an
    administrator (no version) are left alone."""
    published = json.loads(FIXTURE.read_text())
    for row in published["days"]:
        BankHoliday.objects.update_or_create(
            day=date.fromisoformat(row["date"]), defaults={"name": row["name"], "version": published["version"]}
        )
    return f"{len(published['days'])} bank holidays ({published['version']})"
