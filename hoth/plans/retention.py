"""Plans and reviews under the retention schedule (hoth.information_governance.record_types).
A review's ratings stay: they are the board's measures of whether children are safer."""

from hoth.information_governance.record_types import Part

RECORDS = {
    "plans.Plan": [Part("person", "case__person", clear=("child_wants", "child_trusts", "family_views"))],
    "plans.Goal": [Part("person", "plan__case__person", clear=("text",))],
    "plans.PlanAction": [Part("person", "plan__case__person", clear=("what",))],
    "plans.ServiceReferral": [Part("person", "plan__case__person", clear=("note",))],
    "plans.PlanVersion": [Part("person", "plan__case__person", clear=("what_changed", "snapshot"))],
    "plans.Review": [Part("person", "case__person", clear=("what_changed",))],
}
