"""The board's measures under the retention schedule (hoth.information_governance.record_types)."""

from hoth.information_governance.record_types import NoPersonalData

RECORDS = {
    "insight.Measure": [NoPersonalData("Reference data: the definitions of the board's measures")],
}
