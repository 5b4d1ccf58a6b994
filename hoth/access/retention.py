"""Break-glass grants under the retention schedule (hoth.information_governance.record_types)."""

from hoth.information_governance.record_types import Part, Ruled

RECORDS = {
    # The audit log keeps each grant's break_glass event with its reason.
    "access.BreakGlass": [Ruled(("break_glass_ended",)), Part("person", "person", delete=True)],
}
