"""Places, groups and online spaces under the retention schedule
(hoth.information_governance.record_types). A context's own row is
anonymised by hoth.information_governance.erasure."""

from hoth.information_governance.record_types import NoPersonalData, Part, Ruled

ASSESSMENT_TEXT = ("who_uses", "when_used", "dynamics", "risks", "protective_factors", "guardians")

RECORDS = {
    "contexts.Context": [Ruled(("context",))],
    "contexts.Town": [NoPersonalData("Reference data: towns drawn on maps")],
    "contexts.ContextAssessment": [Part("context", "context", clear=ASSESSMENT_TEXT)],
    "contexts.ContextAction": [Part("context", "context", clear=("description",))],
    "contexts.ContextReview": [Part("context", "context", clear=("summary",))],
    # An incident keeps its place, time and kind: the hotspot map counts it.
    "contexts.Incident": [
        Ruled(("incident",)),
        Part("incident", "", clear=("description", "police_reference")),
        Part("context", "place", clear=("description", "police_reference")),
    ],
}
