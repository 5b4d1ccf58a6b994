"""The board's measures and figures under the retention schedule (hoth.information_governance.record_types)."""

from hoth.information_governance.record_types import NoPersonalData, Ruled

RECORDS = {
    "insight.Measure": [NoPersonalData("Reference data: the definitions of the board's measures")],
    "insight.ChildPopulation": [NoPersonalData("Reference data: population estimates, counts of children by group")],
    "insight.Snapshot": [Ruled(("aggregate_snapshots",))],
    "insight.Figure": [Ruled(("aggregate_snapshots",))],
}
