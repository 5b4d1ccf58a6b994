"""Meetings under the retention schedule (hoth.information_governance.record_types).
A meeting's date, attendance and decisions are the partnership's minutes;
what was said about a child goes with the child's record."""

from hoth.information_governance.record_types import Part, Ruled

ITEM_TEXT = ("rationale", "advice")

RECORDS = {
    "panels.Meeting": [Ruled(("meeting_records",))],
    "panels.Attendance": [Ruled(("meeting_records",))],
    "panels.AgendaItem": [
        Ruled(("meeting_records",)),
        Part("person", "person", clear=ITEM_TEXT),
        Part("context", "context", clear=ITEM_TEXT),
    ],
    "panels.AgencyContribution": [
        Part("person", "item__person", clear=("text",)),
        Part("context", "item__context", clear=("text",)),
    ],
    "panels.MeetingAction": [
        Part("person", "item__person", clear=("description",)),
        Part("context", "item__context", clear=("description",)),
    ],
}
