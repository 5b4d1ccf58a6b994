"""The data protection officer's own records under the retention schedule,
and the tables of the libraries the service uses that hold personal data
(sessions, sign-in attempts, second factors)."""

from hoth.information_governance.record_types import NoPersonalData, Part, Ruled

REQUEST_TEXT = (
    "bundle",
    "requester_name",
    "requester_contact",
    "about",
    "identity_details",
    "extension_reason",
    "closure_note",
)

RECORDS = {
    "information_governance.RetentionRule": [NoPersonalData("Reference data: the retention schedule")],
    "information_governance.RedactionReason": [NoPersonalData("Reference data: reasons for redaction")],
    "information_governance.RetentionReview": [Ruled(("retention_reviews",))],
    "information_governance.RetentionItem": [Ruled(("retention_reviews",))],
    # A closed request about a person later erased keeps its dates and outcome.
    "information_governance.SubjectAccessRequest": [
        Ruled(("subject_access_requests",)),
        Part("person", "person", clear=REQUEST_TEXT),
    ],
    "information_governance.Redaction": [
        Part("request", "request", delete=True),
        Part("person", "request__person", clear=("words", "note")),
    ],
    # Django and the libraries the service is built on.
    "auth.Permission": [NoPersonalData("Django's permission names; the service's own gate decides access")],
    "auth.Group": [NoPersonalData("Django's groups: unused")],
    "contenttypes.ContentType": [NoPersonalData("Django's list of models")],
    "sessions.Session": [Ruled(("sessions",))],
    "axes.AccessAttempt": [Ruled(("sign_in_attempts",))],
    "axes.AccessAttemptExpiration": [Ruled(("sign_in_attempts",))],
    "axes.AccessLog": [Ruled(("sign_in_log",))],
    "axes.AccessFailureLog": [Ruled(("sign_in_log",))],
    "otp_totp.TOTPDevice": [Ruled(("staff_accounts",))],
    "otp_static.StaticDevice": [Ruled(("staff_accounts",))],
    "otp_static.StaticToken": [Ruled(("staff_accounts",))],
    # The job queue's record of each run (its arguments are a job's id; a
    # crash's traceback may quote what the job read).
    "django_tasks_database.DBTaskResult": [Ruled(("background_jobs",))],
}
