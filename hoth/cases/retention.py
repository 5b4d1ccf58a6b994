"""A child's case under the retention schedule (hoth.information_governance.record_types).
What the board counts stays (dates, status, harm types, levels, outcomes);
what describes the child goes."""

from hoth.information_governance.record_types import Part

RECORDS = {
    "cases.Case": [
        Part("person", "person", keep="dates, status, harm types and lead professional: the board's figures")
    ],
    "cases.MissingEpisode": [
        Part(
            "person",
            "person",
            clear=("reported_by", "police_reference", "where_found", "found_postcode", "who_with", "notes"),
            round=("found_latitude", "found_longitude"),
        )
    ],
    "cases.ReturnInterview": [Part("person", "episode__person", clear=("interviewer", "child_said"))],
    "cases.CaseMember": [Part("person", "case__person", keep="the professionals on the team, acting in their role")],
    "cases.ContextualAssessment": [Part("person", "case__person", clear=("primary_reason",))],
    "cases.AssessedContext": [Part("person", "assessment__case__person", clear=("strengths", "risks"))],
    "cases.CaseNote": [Part("person", "case__person", clear=("who", "what"))],
    "cases.CaseStatusChange": [
        Part(
            "person",
            "case__person",
            clear=("reason_other", "outcome_summary", "transfer_summary", "adult_services_transition", "reopen_reason"),
        )
    ],
    "cases.NrmReferral": [Part("person", "person", keep="dates and decisions of the National Referral Mechanism")],
}
