"""Staff accounts under the retention schedule (hoth.information_governance.record_types)."""

from hoth.information_governance.record_types import NoPersonalData, Ruled

RECORDS = {
    "accounts.Agency": [NoPersonalData("An organisation")],
    "accounts.Team": [NoPersonalData("A team of an organisation")],
    "accounts.User": [Ruled(("staff_accounts",))],
    "accounts.RoleAssignment": [Ruled(("staff_accounts",))],
    "accounts.ApiToken": [Ruled(("staff_accounts",))],
    "accounts.RecoveryCodes": [Ruled(("staff_accounts",))],
    "accounts.RecoveryCode": [Ruled(("staff_accounts",))],
}
