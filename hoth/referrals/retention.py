"""Referrals under the retention schedule (hoth.information_governance.record_types).
An anonymised referral keeps its dates, status, harm types and who sent it:
the service standard and the board's figures count them."""

from hoth.information_governance.record_types import NoPersonalData, Part, Ruled

REFERRAL_TEXT = ("what_happened", "child_words", "harm_other", "consent_reason")
ASSOCIATE_TEXT = ("name", "details")

RECORDS = {
    "referrals.HarmType": [NoPersonalData("Reference data: the kinds of harm")],
    "referrals.Referral": [
        Ruled(("referral_no_further_action", "referral_draft")),
        Part("referral", "", clear=REFERRAL_TEXT),
        Part("person", "person", clear=REFERRAL_TEXT),
        Part("context", "context", clear=REFERRAL_TEXT),
    ],
    "referrals.NamedAssociate": [
        Part("referral", "referral", clear=ASSOCIATE_TEXT),
        Part("person", "referral__person", clear=ASSOCIATE_TEXT),
        Part("context", "referral__context", clear=ASSOCIATE_TEXT),
        # Someone named in another child's referral.
        Part("person", "person", clear=ASSOCIATE_TEXT),
    ],
    "referrals.ReferralAddition": [
        Part("referral", "referral", clear=("text",)),
        Part("person", "referral__person", clear=("text",)),
        Part("context", "referral__context", clear=("text",)),
    ],
}
