"""Links the service proposes from what practitioners record, for an analyst
to accept (grading them) or reject:

- a referral's named associates that name a known subject;
- a missing episode's "who with" and "where found", and a place of concern
  within 150 metres of where the child was found;
- a screening's evidence for the association, place and online indicators.

Only subjects already in the intelligence picture are looked for
(hoth.analytics.mentions explains how), so a proposal never drags someone new
into it on the strength of a word. The child the record is about becomes a
subject when something is proposed about them.
"""

from django.db.models import Prefetch
from django.utils import timezone

from hoth.analytics.geography import nearest_within
from hoth.analytics.mentions import Known, MentionIndex
from hoth.people.models import Alias
from hoth.screening.models import ScreeningAnswer

from .models import LinkType, Subject
from .services import propose_link, subject_for_context, subject_for_person

FOUND_NEAR_M = 150
# Screening indicators whose evidence names the people, places, cars or phones around the child.
EVIDENCE_INDICATORS = (
    "assoc_controlling_adult",
    "assoc_older_partner",
    "assoc_unknown_adults",
    "assoc_exploited_peers",
    "assoc_gang_conflict",
    "places_cars",
    "places_of_concern",
    "places_hotels_taxis_takeaways",
    "online_grooming",
    "online_sextortion",
    "online_unknown_contacts",
    "money_debt_bondage",
)


def known_subjects():
    """Every subject with the names text may call it by."""
    aliases = Prefetch("person__aliases", queryset=Alias.objects.only("person_id", "name"))
    subjects = Subject.objects.select_related("person", "context", "vehicle", "phone").prefetch_related(aliases)
    known = []
    for subject in subjects:
        if subject.person_id:
            person = subject.person
            names = [person.full_name, *(a.name for a in person.aliases.all())]
            if person.preferred_name:
                names.append(f"{person.preferred_name} {person.family_name}")
            known.append(Known(subject.pk, "person", tuple(names)))
        elif subject.context_id:
            context = subject.context
            known.append(Known(subject.pk, subject.kind, tuple(n for n in (context.name, context.handle) if n)))
        elif subject.vehicle_id:
            known.append(Known(subject.pk, "vehicle", registration=subject.vehicle.registration))
        else:
            known.append(Known(subject.pk, "phone", phone=subject.phone.e164))
    return known


def link_type(child_subject, other):
    """The kind of link a child has with what a record names."""
    if other.kind == Subject.Kind.PERSON:
        return LinkType.PEER if other.person.is_child else LinkType.SEEN_WITH
    return {
        Subject.Kind.PLACE: LinkType.FREQUENTS,
        Subject.Kind.GROUP: LinkType.MEMBER_OF,
        Subject.Kind.ONLINE: LinkType.USES,
        Subject.Kind.VEHICLE: LinkType.SEEN_WITH,
    }.get(other.kind, LinkType.ASSOCIATED_WITH)


class Proposer:
    """Proposes the links one record gives. The index of known subjects is
    built once, so a command proposing from many records pays for it once."""

    def __init__(self, index=None):
        self._index = index

    @property
    def index(self):
        if self._index is None:
            self._index = MentionIndex(known_subjects())
        return self._index

    def _propose(self, person, found, because, valid_from=None, **basis):
        """One proposal per subject found; the person's subject is made only
        when something is found about them."""
        proposed = []
        me = None
        others = Subject.objects.select_related("person").in_bulk([mention.subject for mention in found])
        for mention in found:
            other = others[mention.subject]
            if other.person_id == person.pk:
                continue
            me = me or subject_for_person(None, person)
            link = propose_link(
                source=me,
                target=other,
                type=link_type(me, other),
                because=f"{because}: {mention.because} ({other.reference})",
                valid_from=valid_from,
                **basis,
            )
            if link is not None:
                proposed.append(link)
        return proposed

    def from_referral(self, referral):
        if referral.person_id is None:
            return self._from_context_referral(referral)
        proposed = []
        for associate in referral.associates.all():
            found = self.index.find(f"{associate.name}. {associate.details}")
            proposed += self._propose(
                referral.person,
                found,
                f"Named in referral {referral.reference}",
                valid_from=referral.happened_on,
                referral=referral,
            )
        return proposed

    def _from_context_referral(self, referral):
        """A referral about a place or group that names people: each person
        known is associated with the place."""
        if referral.context_id is None:
            return []
        place = None
        proposed = []
        for associate in referral.associates.all():
            for mention in self.index.find(f"{associate.name}. {associate.details}"):
                other = Subject.objects.get(pk=mention.subject)
                if other.context_id == referral.context_id:
                    continue
                place = place or subject_for_context(None, referral.context)
                type_ = LinkType.FREQUENTS if other.kind == Subject.Kind.PERSON else LinkType.ASSOCIATED_WITH
                link = propose_link(
                    source=other,
                    target=place,
                    type=type_,
                    because=f"Named in referral {referral.reference} about {referral.context.name}: "
                    f"{mention.because} ({other.reference})",
                    valid_from=referral.happened_on,
                    referral=referral,
                )
                if link is not None:
                    proposed.append(link)
        return proposed

    def from_missing_episode(self, episode):
        person = episode.person
        when = timezone.localdate(episode.started_at)
        text = " ".join(t for t in (episode.who_with, episode.where_found) if t)
        found = self.index.find(text) if text else []
        proposed = self._propose(
            person, found, f"From the missing episode of {when:%-d %B %Y}", valid_from=when, missing_episode=episode
        )
        near = self._place_near(episode.found_latitude, episode.found_longitude)
        if near is not None:
            place, metres = near
            if not any(link.target_id == place.pk for link in proposed):
                me = subject_for_person(None, person)
                link = propose_link(
                    source=me,
                    target=place,
                    type=LinkType.FREQUENTS,
                    valid_from=when,
                    because=f"Found {metres:.0f} m from {place.context.name} ({place.reference}) "
                    f"after the missing episode of {when:%-d %B %Y}",
                    missing_episode=episode,
                )
                if link is not None:
                    proposed.append(link)
        return proposed

    def _place_near(self, lat, lng):
        if lat is None or lng is None:
            return None
        places = list(
            Subject.objects.filter(kind=Subject.Kind.PLACE, context__latitude__isnull=False).select_related("context")
        )
        hit = nearest_within(
            lat, lng, [p.context.latitude for p in places], [p.context.longitude for p in places], FOUND_NEAR_M
        )
        return (places[hit[0]], hit[1]) if hit else None

    def from_screening(self, screening):
        proposed = []
        for answer in screening.answers.filter(state=ScreeningAnswer.State.PRESENT, indicator__in=EVIDENCE_INDICATORS):
            found = self.index.find(answer.evidence)
            proposed += self._propose(
                screening.person,
                found,
                f"From the evidence for '{answer.indicator}' in a screening",
                screening=screening,
            )
        return proposed


def propose_from_referral(referral):
    return Proposer().from_referral(referral)


def propose_from_missing_episode(episode):
    return Proposer().from_missing_episode(episode)


def propose_from_screening(screening):
    return Proposer().from_screening(screening)
