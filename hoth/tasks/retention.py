"""Tasks under the retention schedule (hoth.information_governance.record_types).
A task's title never names a child; its notes may."""

from hoth.information_governance.record_types import Part

RECORDS = {
    "tasks.Task": [
        Part("person", "person", clear=("details", "completed_note")),
        Part("context", "context_action__context", clear=("details", "completed_note")),
    ],
}
