from datetime import datetime

import pytest
from django.utils import timezone

from hoth.information_governance import reference


@pytest.fixture
def schedule(db):
    reference.load()


def moment(year, month=1, day=1, hour=12):
    return timezone.make_aware(datetime(year, month, day, hour))
