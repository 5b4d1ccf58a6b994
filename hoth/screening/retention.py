"""Screenings under the retention schedule (hoth.information_governance.record_types).
Levels, scores and the tool version stay: the board counts them."""

from hoth.information_governance.record_types import NoPersonalData, Part

RECORDS = {
    "screening.ScreeningTool": [NoPersonalData("Reference data: the screening tool's versions")],
    "screening.Screening": [Part("person", "person", clear=("judgement_reason", "lowering_refusal_reason"))],
    "screening.ScreeningAnswer": [Part("person", "screening__person", clear=("evidence",))],
}
