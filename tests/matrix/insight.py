"""Who may use the board's pages: the data dictionary is for all staff; the
figures, their breakdowns and snapshots for managers and board members."""

import datetime

from django.utils import timezone

from hoth.accounts.models import Role

from .common import EVERYONE_SIGNED_IN, SYSTEM_ADMINISTRATORS, Rule

MANAGERS = frozenset({Role.MANAGER})
MONTH = datetime.date(2026, 1, 1)


def measure(world, user, scope):
    from hoth.insight import reference

    reference.load()
    return {"code": "repeatedly-missing"}


def snapshot(world, user, scope):
    from hoth.insight.models import Snapshot

    found, _ = Snapshot.objects.get_or_create(
        month=MONTH,
        is_current=True,
        defaults={"as_of": timezone.now(), "first_period": MONTH, "taken_at": timezone.now()},
    )
    return {"pk": found.pk}


RULES = {
    "insight:measures": Rule(allowed=EVERYONE_SIGNED_IN),
    "insight:measure": Rule(allowed=EVERYONE_SIGNED_IN, kwargs=measure),
    "insight:dashboard": Rule(allowed=MANAGERS),
    "insight:breakdowns": Rule(allowed=MANAGERS, kwargs=measure),
    "insight:snapshots": (
        Rule(allowed=MANAGERS),
        Rule(allowed=MANAGERS, method="POST", data={"month": "2026-01-01", "reason": "Late data from the police"}),
    ),
    "insight:snapshot": Rule(allowed=MANAGERS, kwargs=snapshot),
    # reference_data.manage: the child population.
    "population:upload": (
        Rule(allowed=SYSTEM_ADMINISTRATORS),
        Rule(allowed=SYSTEM_ADMINISTRATORS, method="POST", data={"source": "ONS mid-year estimates 2025"}),
    ),
}
