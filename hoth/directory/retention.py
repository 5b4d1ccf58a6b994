"""The support services directory under the retention schedule
(hoth.information_governance.record_types)."""

from hoth.information_governance.record_types import NoPersonalData

RECORDS = {
    "directory.Service": [NoPersonalData("Published support services: organisations, not people")],
}
