"""New-link alerts: when an accepted link joins a child to a network holding
a person of concern or a child at High level, the coordinators and the lead
professional of each child concerned are told, each within their scope."""

import datetime

from django.urls import reverse
from django.utils import timezone

from hoth.accounts.models import Role, User
from hoth.analytics import network
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.cases.models import Case
from hoth.intelligence.network.data import current_selection, load_joined_by
from hoth.notifications.services import notify

from .models import Link, LinkAlert, Subject


def _is_current(link: Link, today: datetime.date) -> bool:
    return (link.valid_from is None or link.valid_from <= today) and (link.valid_to is None or link.valid_to >= today)


def raise_alert(link: Link, *, user: User | None = None, audit: AuditContext | None = None) -> LinkAlert | None:
    """Check a link just accepted against the network as it stood without it
    (hoth.analytics.network.link_alert); record and send the alert if it
    joins anyone to something to worry about. A link that is not valid today
    changes nothing today, so raises nothing."""
    today = timezone.localdate()
    if not _is_current(link, today):
        return None
    net = load_joined_by(link, selection=current_selection(today), today=today)
    found = network.link_alert(net.graph, link.source_id, link.target_id)
    if found is None:
        return None
    people = {subject_id: net.node(subject_id).person_id for subject_id in found.children}
    alert = LinkAlert.objects.create(
        link=link, reason="; ".join(j.reason for j in found.joined)[:300], direct=found.direct
    )
    alert.children.set(list(people.values()))
    alert.persons_of_concern.set(
        Subject.objects.filter(pk__in=[s for joined in found.joined for s in joined.persons_of_concern])
    )
    alert.high_level_children.set(
        [net.node(s).person_id for joined in found.joined for s in joined.high_level_children]
    )
    told = _tell(alert, list(people.values()))
    alert.told.set(told)
    log.record(
        "create",
        audit=audit,
        user=user,
        obj=alert,
        people=list(people.values()),
        detail={"link": link.pk, "reason": alert.reason, "told": sorted(u.pk for u in told)},
    )
    return alert


def _tell(alert: LinkAlert, children: list[int]) -> list[User]:
    """The coordinators, once each, and each lead professional once for the
    children of theirs the alert names."""
    url = reverse("intelligence:alert", args=[alert.pk])
    told: list[User] = []
    coordinators = User.objects.filter(
        is_active=True, is_service_account=False, role_assignments__role=Role.COORDINATOR
    ).distinct()
    for coordinator in coordinators:
        notify(
            coordinator,
            "New-link alert: a child is now connected to a network of concern",
            f"{alert.reason}. Open the alert to see the link and the children concerned.",
            url,
        )
        told.append(coordinator)
    leads: dict[User, list[Case]] = {}
    for case in (
        Case.objects.open()
        .filter(person_id__in=children, lead_professional__is_active=True)
        .select_related("person", "lead_professional")
    ):
        leads.setdefault(case.lead_professional, []).append(case)
    for lead, cases in leads.items():
        if lead in told:
            continue
        names = ", ".join(f"{c.person.full_name} ({c.person.reference})" for c in cases[:5])
        more = f" and {len(cases) - 5} more" if len(cases) > 5 else ""
        notify(
            lead,
            "New-link alert about a child you are lead professional for",
            f"An analyst accepted a graded link that connects {names}{more} to a network with a person of "
            "concern or a child at High level. Open the alert to see what you may; the analyst and the "
            "coordinator have been told too.",
            url,
        )
        told.append(lead)
    return told
