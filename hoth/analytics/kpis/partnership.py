"""Collaboration and partnership working: who comes to the meetings and what
they bring, how information is shared, and whether agreed actions are done
on time, by type of agency."""

import pandas as pd

from .calculation import COUNT, PROPORTION, calculation, units
from .frames import Records


@calculation(kind=PROPORTION, counts="people recorded", grouped_by="agency type")
def meeting_attendance(records: Records) -> pd.DataFrame:
    """Of the people recorded in the attendance of confirmed screening
    meetings and panels, by their agency's type, those present (not sending
    apologies, not absent)."""
    attendance = records.attendance
    return units(attendance["starts_at"], None, attendance["present"], group=attendance["agency_type"])


@calculation(kind=COUNT, counts="contributions", grouped_by="agency type")
def meeting_contributions(records: Records) -> pd.DataFrame:
    """What agencies brought to the items of confirmed meetings."""
    contributions = records.contributions
    return units(contributions["starts_at"], None, 1.0, group=contributions["agency_type"])


@calculation(kind=COUNT, counts="decisions", grouped_by="lawful basis")
def sharing_decisions(records: Records) -> pd.DataFrame:
    """Decisions to share information, or not to, by their lawful basis."""
    sharing = records.sharing
    return units(sharing["decided_at"], None, 1.0, group=sharing["lawful_basis"])


@calculation(kind=PROPORTION, counts="actions", grouped_by="agency type")
def actions_on_time(records: Records) -> pd.DataFrame:
    """Of actions agreed at meetings that fell due, those completed by the
    day they were due; an action not yet due is left out until done."""
    actions = records.actions
    done_by = actions["due_on"] + pd.Timedelta(days=1)
    on_time = actions["completed_at"].notna() & (actions["completed_at"] < done_by)
    decided = on_time | (done_by <= records.as_of)
    return units(actions.loc[decided, "due_on"], None, on_time[decided], group=actions.loc[decided, "agency_type"])
