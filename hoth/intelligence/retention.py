"""Intelligence, subjects and links under the retention schedule
(hoth.information_governance.record_types). Links stay, with their grading
and dates, between anonymised ends: the network's shape is what analysis
counts; their notes go."""

from hoth.information_governance.record_types import NoPersonalData, Part, Ruled

REPORT_TEXT = ("what", "who", "where", "how_known_detail", "handling_conditions", "sanitised")
LINK_TEXT = ("notes", "proposed_because", "rejection_reason")

RECORDS = {
    "intelligence.GradingCode": [NoPersonalData("Reference data: grading codes")],
    "intelligence.Vehicle": [Part("subject", "subject", replace=("registration",))],
    "intelligence.Phone": [Part("subject", "subject", replace=("e164",), clear=("description",))],
    "intelligence.Subject": [
        Ruled(("vehicles_and_phones",)),
        Part("subject", "", clear=("concern",)),
        Part("person", "person", clear=("concern",)),
        Part("context", "context", clear=("concern",)),
    ],
    # A report is deleted (or, if the schedule says so, anonymised) under its
    # own MoPI-style rules; a report about an erased person loses its text.
    "intelligence.IntelligenceReport": [
        Ruled(("intelligence_serious", "intelligence_other")),
        Part("intelligence", "", clear=REPORT_TEXT, round=("latitude", "longitude")),
        Part("person", "about_person", clear=REPORT_TEXT, round=("latitude", "longitude")),
    ],
    "intelligence.Mention": [Part("intelligence", "report", keep="which subjects a report names: ids only")],
    "intelligence.Link": [
        Part("person", "source__person", clear=LINK_TEXT),
        Part("person", "target__person", clear=LINK_TEXT),
        Part("subject", "source", clear=LINK_TEXT),
        Part("subject", "target", clear=LINK_TEXT),
        Part("context", "source__context", clear=LINK_TEXT),
        Part("context", "target__context", clear=LINK_TEXT),
    ],
    "intelligence.LinkAlert": [Part("person", "children", keep="counts and ids: why a link was alerted")],
    # An import's rows while it is checked: deleted when its job ends, and with the job at the latest.
    "intelligence.StagedReport": [Ruled(("background_jobs",))],
    "intelligence.StagedReportHarm": [Ruled(("background_jobs",))],
    "intelligence.StagedReportShare": [Ruled(("background_jobs",))],
}
