"""What becomes of the register's records under the retention schedule
(hoth.information_governance.record_types)."""

from hoth.information_governance.record_types import NoPersonalData, Part, Ruled

RECORDS = {
    # A person's own row is anonymised by hoth.information_governance.erasure:
    # names and notes go; year of birth, sex, ethnicity and needs stay.
    "people.Person": [Ruled(("child", "looked_after_child", "adult_of_concern", "other_adult"))],
    "people.Alias": [Part("person", "person", delete=True)],
    "people.Address": [Part("person", "person", delete=True)],
    "people.Identifier": [Part("person", "person", delete=True)],
    "people.PhoneNumber": [Part("person", "person", delete=True)],
    "people.OnlineHandle": [Part("person", "person", delete=True)],
    "people.SharingDecision": [Part("person", "person", clear=("what", "why", "consent_not_sought_reason"))],
    # Nobody works with an erased record: it leaves every practitioner's list.
    "people.Involvement": [Part("person", "person", delete=True)],
    "people.FieldChange": [Part("person", "person", delete=True)],
    "people.NameVariantGroup": [NoPersonalData("Reference data: names that are the same name")],
}
