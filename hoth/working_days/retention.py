"""Bank holidays under the retention schedule (hoth.information_governance.record_types)."""

from hoth.information_governance.record_types import NoPersonalData

RECORDS = {
    "working_days.BankHoliday": [NoPersonalData("Reference data: the days that are not working days")],
}
