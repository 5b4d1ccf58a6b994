"""Disruption under the retention schedule (hoth.information_governance.record_types).
A plan, its activities, breaches and reviews are part of the record of the
subject they are against: erased with the person, place, vehicle or phone.
The tactic, status and dates stay: the effect of disruption is counted."""

from hoth.information_governance.record_types import NoPersonalData, Part


def _with_subject(path, clear):
    prefix = f"{path}__" if path else ""
    return [
        Part("person", f"{prefix}subject__person", clear=clear),
        Part("context", f"{prefix}subject__context", clear=clear),
        Part("subject", f"{prefix}subject", clear=clear),
    ]


RECORDS = {
    "disruption.Tactic": [NoPersonalData("Reference data: the catalogue of tactics")],
    "disruption.DisruptionPlan": _with_subject("", ("objective",)),
    "disruption.DisruptionActivity": _with_subject("", ("details", "outcome")),
    "disruption.Breach": _with_subject("activity", ("what", "action_details", "police_reference")),
    "disruption.DisruptionPlanReview": _with_subject("plan", ("what_changed",)),
}
