"""The audit log is exempt from the retention schedule: see the schedule's
audit_log line and docs/security-model.md."""

from hoth.information_governance.record_types import Ruled

RECORDS = {
    "audit.AuditEvent": [Ruled(("audit_log",))],
    "audit.AuditEventPerson": [Ruled(("audit_log",))],
}
