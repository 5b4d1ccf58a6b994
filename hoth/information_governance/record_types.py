"""What the retention schedule covers: every model of the service, said once.

Each app says what happens to its own models in a `retention` module with a
`RECORDS` dict (as apps feed the case timeline from `timeline.py`), so adding
a model means saying there what becomes of it, and
tests/information_governance/test_schedule_coverage.py fails until someone does:

    RECORDS = {
        "cases.CaseNote": [Part("person", "case__person", clear=("who", "what"))],
        "cases.NrmReferral": [Part("person", "case__person", keep="dates and outcomes, for statistics")],
    }

A model is one or more of:

* `Ruled(codes)`: it has lines of its own in the schedule (RetentionRule codes:
  when it is due, and what then happens), a "keep" line for the exempt;
* `Part(owner, path, ...)`: its rows are part of another record (a person, a
  referral, a context, a subject, a request) and are erased with it: `clear`
  empties text, `delete` removes the rows, `keep` says why they stay as they
  are (ids, dates and codes that statistics count); `path` leads from the
  model to the owner's primary key ("" when the row is the owner itself);
* `NoPersonalData(reason)`: reference data and the like.

Models outside the service's own apps that hold personal data (sessions,
sign-in attempts, second factors) are declared by this app's own module.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

OWNERS = {
    "person": "people.Person",
    "referral": "referrals.Referral",
    "context": "contexts.Context",
    "intelligence": "intelligence.IntelligenceReport",
    "subject": "intelligence.Subject",
    "incident": "contexts.Incident",
    "request": "information_governance.SubjectAccessRequest",
}


@dataclass(frozen=True)
class Ruled:
    rules: tuple


@dataclass(frozen=True)
class Part:
    owner: str
    path: str = ""
    clear: tuple = ()
    delete: bool = False
    # Coordinates are kept for the hotspot counts but rounded (to about 100
    # metres) so that they no longer point at a front door.
    round: tuple = ()
    # Unique identifiers (a registration, a phone number) replaced by a
    # placeholder unique to the row, since they cannot be emptied.
    replace: tuple = ()
    keep: str = ""
    # Rows found other than by a foreign key (a notification's link names a
    # person's reference): a function of the owner giving a Q.
    where: Callable | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.owner not in OWNERS:
            raise ValueError(f"unknown owner {self.owner!r}")
        if not (self.clear or self.delete or self.round or self.replace or self.keep):
            raise ValueError("a part says what happens to it: clear, delete, round or keep (with why)")


@dataclass(frozen=True)
class NoPersonalData:
    reason: str


def declarations():
    """{model label: [declarations]} gathered from every app's `retention` module."""
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("hoth."):
            continue
        module_name = f"{config.name}.retention"
        if find_spec(module_name) is None:
            continue
        for label, entries in import_module(module_name).RECORDS.items():
            found.setdefault(label, []).extend(entries)
    return found


def parts_of(owner):
    """(model, Part) for everything erased with an `owner` record."""
    for label, entries in declarations().items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for entry in entries:
            if isinstance(entry, Part) and entry.owner == owner:
                yield model, entry
