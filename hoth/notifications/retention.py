"""Notifications under the retention schedule (hoth.information_governance.record_types)."""

from django.db.models import Q

from hoth.information_governance.record_types import Part, Ruled


def about(person):
    """A notification about a person names their reference in its link or words."""
    return (
        Q(url__contains=f"/{person.reference}/")
        | Q(subject__contains=person.reference)
        | Q(body__contains=person.reference)
    )


RECORDS = {
    "notifications.Notification": [Ruled(("notifications",)), Part("person", delete=True, where=about)],
}
