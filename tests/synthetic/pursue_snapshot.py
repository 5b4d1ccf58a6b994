"""What must not change between two generations from one seed and day on
the Pursue side and in the disruption histories against its subjects, in an
order that does not depend on primary keys, and decrypted."""

from hoth.cases.models import MissingEpisode
from hoth.contexts.models import Incident
from hoth.disruption.models import DisruptionActivity, DisruptionPlan, DisruptionPlanReview
from hoth.intelligence.models import IntelligenceReport, Link, LinkAlert, Phone, Subject, Vehicle
from hoth.synthetic.models import NoiseLink, PlantedHotspot, PlantedMember, PlantedNetwork


def _basis(link):
    if link.intelligence_id:
        return "intelligence", link.intelligence.reference
    if link.referral_id:
        return "referral", link.referral.reference
    if link.missing_episode_id:
        return "missing", link.missing_episode.police_reference
    if link.screening_id:
        return "screening", link.screening.person.reference, link.screening.completed_at
    return None


def snapshot():
    subjects = sorted((s.reference, s.kind, s.of_concern, s.concern, s.created_at) for s in Subject.objects.all())
    links = sorted(
        (
            link.source.reference,
            link.target.reference,
            link.type,
            link.role,
            link.status,
            link.valid_from,
            link.valid_to,
            link.grading,
            link.confidence,
            _basis(link),
            link.proposed_because,
            link.created_at,
            link.decided_at,
            link.rejection_reason,
        )
        for link in Link.objects.select_related(
            "source", "target", "intelligence", "referral", "missing_episode", "screening__person"
        )
    )
    reports = sorted(
        (
            r.reference,
            r.status,
            r.source,
            r.what,
            r.sanitised,
            r.grading,
            r.handling_conditions,
            r.happened_on,
            r.happened_at_time,
            r.submitted_at,
            r.graded_at,
            r.latitude,
            r.longitude,
            r.imported_reference,
            r.submitted_by.email,
            tuple(sorted(h.code for h in r.harm_types.all())),
            tuple(sorted(a.name for a in r.shared_with.all())),
            tuple(sorted(m.subject.reference for m in r.mentions.all())),
        )
        for r in IntelligenceReport.objects.select_related("submitted_by").prefetch_related(
            "harm_types", "shared_with", "mentions__subject"
        )
    )
    incidents = sorted(
        (i.place.reference, i.occurred_at, i.kind, i.latitude, i.longitude, i.police_reference, i.description)
        for i in Incident.objects.select_related("place")
    )
    episodes = sorted(
        (
            e.person.reference,
            e.started_at,
            e.ended_at,
            e.where_found,
            e.found_latitude,
            e.found_longitude,
            e.who_with,
            e.police_reference,
        )
        for e in MissingEpisode.objects.select_related("person")
    )
    things = (
        sorted((v.reference, v.registration, v.make, v.model, v.colour) for v in Vehicle.objects.all()),
        sorted((p.reference, p.e164, p.description) for p in Phone.objects.all()),
    )
    truth = (
        sorted((n.key, n.name, n.town, n.origin, n.began_on) for n in PlantedNetwork.objects.all()),
        sorted(
            (m.network.key, m.subject.reference, m.role, m.out_of_area)
            for m in PlantedMember.objects.select_related("network", "subject")
        ),
        sorted((h.name, h.cell, h.pattern, h.emerging, h.events) for h in PlantedHotspot.objects.all()),
        sorted(
            (n.link.source.reference, n.link.target.reference, n.reason)
            for n in NoiseLink.objects.select_related("link__source", "link__target")
        ),
    )
    alerts = sorted(
        (
            a.link.source.reference,
            a.link.target.reference,
            a.reason,
            a.created_at,
            tuple(sorted(p.reference for p in a.children.all())),
            tuple(sorted(u.email for u in a.told.all())),
        )
        for a in LinkAlert.objects.select_related("link__source", "link__target")
    )
    return subjects, links, reports, incidents, episodes, things, truth, alerts, disruption()


def _item(item):
    return (item.meeting.starts_at, item.position, item.section) if item is not None else None


def disruption():
    plans = sorted(
        (
            p.subject.reference,
            p.owner.email,
            p.lead_agency.name,
            p.objective,
            p.status,
            p.next_review_on,
            p.closed_on,
            p.created_at,
        )
        for p in DisruptionPlan.objects.select_related("subject", "owner", "lead_agency")
    )
    activities = sorted(
        (
            a.reference,
            a.subject.reference,
            a.tactic.code,
            a.status,
            a.applied_on,
            a.granted_on,
            a.expires_on,
            a.ended_on,
            a.officer.email,
            a.lead_agency.name,
            a.details,
            a.outcome,
            a.outcome_assessment,
            a.outcome_recorded_at,
            a.expiry_warned_at,
            a.expired_told_at,
            a.created_at,
            a.changed_at,
            tuple(sorted(c.reference for c in a.children.all())),
            tuple(sorted(r.reference for r in a.intelligence.all())),
            tuple(
                sorted(
                    (b.occurred_on, b.what, b.action, b.action_details, b.police_reference, b.recorded_at)
                    for b in a.breaches.all()
                )
            ),
        )
        for a in DisruptionActivity.objects.select_related(
            "subject", "tactic", "officer", "lead_agency"
        ).prefetch_related("children", "intelligence", "breaches")
    )
    reviews = sorted(
        (
            r.plan.subject.reference,
            r.reviewed_on,
            r.decision,
            r.what_changed,
            r.next_review_on,
            r.reviewed_by.email,
            r.recorded_at,
            _item(r.agenda_item),
        )
        for r in DisruptionPlanReview.objects.select_related("plan__subject", "reviewed_by", "agenda_item__meeting")
    )
    return plans, activities, reviews
