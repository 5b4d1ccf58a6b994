"""What the API keeps, under the retention schedule (hoth.information_governance.record_types)."""

from hoth.information_governance.record_types import Part, Ruled

RECORDS = {
    "api.IdempotentRequest": [Ruled(("api_idempotency",)), Part("person", "person", delete=True)],
}
