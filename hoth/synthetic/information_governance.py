"""The data protection officer's demo: an archive of old records past their
retention triggers, two open subject access requests and the retention
review the daily job would propose, so the demo officer has something to
decide and to answer.

Built last, after the register and both sides of the casework, on the day
generated:

- the archive: a few people recorded long ago, as the partnership's first
  system would have recorded them: children first known in the register's
  early years who have since turned 25, and adults nobody has recorded
  anything about for more than six years;
- a request from a parent about a child on the demo practitioner's caseload,
  received twelve days ago, the child found and everything held assembled
  (third parties and intelligence sources redacted by default);
- a request from one of the grown-up children about themselves, received
  five weeks ago and extended by two months (records from several agencies):
  found, not yet assembled; it holds their record back from erasure;
- the retention review `propose_due` writes for the day: the archive's
  records, one of them held back by that request.

Every step goes through the services the officer's pages use, so the audit
log holds their events as if the officer had done them. Determinism: names,
dates and references come from the generator's streams; requests' own
references are the service's.
"""

from datetime import datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from hoth.accounts.models import User
from hoth.cases.models import Case
from hoth.information_governance import reference as information_governance_reference
from hoth.information_governance import subject_access
from hoth.information_governance.selectors import counts
from hoth.information_governance.services import propose_due
from hoth.people.models import Address, Involvement, Person
from hoth.synthetic.models import TrueIdentity

from . import data
from .demo_users import demo_email

GROWN_UP_CHILDREN = 3
QUIET_ADULTS = 4


def _years_ago(day, years, rng):
    return day.replace(year=day.year - years) - timedelta(days=rng.randint(0, 300))


class InformationGovernance:
    def __init__(self, generator, today):
        self.generator = generator
        self.today = today
        self.rng = generator._stream("information-governance")
        self.references = generator.reference_maker("P", "archive-references")
        self.counts = {}
        self.last_cluster = TrueIdentity.objects.aggregate(last=Max("cluster_id"))["last"] or 0

    def _count(self, name, n=1):
        self.counts[name] = self.counts.get(name, 0) + n

    def run(self):
        information_governance_reference.load()
        self.officer = User.objects.get(email=demo_email("auditor"))
        self.practitioner = User.objects.get(email=demo_email("practitioner"))
        grown_up = self.archive()
        self.requests(grown_up)
        # As the daily job would, early on the day generated.
        review = propose_due(timezone.make_aware(datetime.combine(self.today, time(6, 0))))
        if review is not None:
            for code, statuses in counts(review).items():
                self._count(f"RetentionItem ({code})", sum(statuses.values()))
            self._count("RetentionReview (proposed)")
        return self.counts

    # ------------------------------------------------------------ the archive

    def _person(self, *, adult, created_at, dob):
        sex = self.rng.choice(["F", "M"])
        ethnicity = "W1" if self.rng.random() < 0.8 else self.rng.choice(["A4", "B1", "M3"])
        given, family, language = self.generator.names.pick(self.rng, ethnicity, sex, adult=adult)
        person = Person.objects.create(
            reference=self.references.next(),
            given_names=given,
            family_name=family,
            date_of_birth=dob,
            sex=sex,
            ethnicity=ethnicity,
            first_language=language,
            created_at=created_at,
        )
        Address.objects.create(person=person, valid_from=created_at.date(), **self.generator.places.address(self.rng))
        # Written as the old system left it: last changed when it was recorded.
        Person.objects.filter(pk=person.pk).update(updated_at=created_at)
        self.last_cluster += 1
        TrueIdentity.objects.create(person=person, cluster_id=self.last_cluster)
        # Nobody works with them now: their involvement ended years ago.
        Involvement.objects.create(
            person=person,
            user=self.practitioner,
            kind=Involvement.Kind.ASSIGNED,
            started_at=created_at,
            ended_at=created_at + timedelta(days=200),
        )
        return person

    def archive(self):
        grown_up = []
        for _ in range(GROWN_UP_CHILDREN):
            dob = _years_ago(self.today, 26, self.rng)
            known = timezone.make_aware(datetime.combine(dob.replace(year=dob.year + 14), time(10)))
            grown_up.append(self._person(adult=False, created_at=known, dob=dob))
            self._count("Person (archive: grown-up child)")
        for _ in range(QUIET_ADULTS):
            created = timezone.make_aware(datetime.combine(_years_ago(self.today, 7, self.rng), time(11)))
            self._person(adult=True, created_at=created, dob=_years_ago(self.today, 45, self.rng))
            self._count("Person (archive: adult)")
        return grown_up

    # ------------------------------------------------------------ requests

    def _received(self, days_ago):
        # The service refuses a request received in the future; a history
        # generated for a later day than the clock's is dated by the clock.
        return min(self.today - timedelta(days=days_ago), timezone.localdate())

    def requests(self, grown_up):
        child = (
            Case.objects.filter(lead_professional=self.practitioner, status="open")
            .select_related("person")
            .order_by("person__reference")
            .first()
        )
        if child is not None:
            person = child.person
            sar = subject_access.record_request(
                self.officer,
                requester_name=f"{self.rng.choice(data.BRITISH_ADULT_FEMALE)} {person.family_name}",
                relationship="parent",
                requester_contact="By email, from the address on the child's record",
                about=f"My son or daughter, {person.full_name}, born {person.dob_display}",
                identity_verified_how="parental",
                identity_details="Birth certificate and passport seen at the front desk",
                received_on=self._received(12),
            )
            subject_access.choose_person(self.officer, sar, person)
            subject_access.assemble(self.officer, sar)
            self._count("SubjectAccessRequest (assembled)")
        if grown_up:
            person = grown_up[0]
            sar = subject_access.record_request(
                self.officer,
                requester_name=person.full_name,
                relationship="self",
                requester_contact="By post, to their address now",
                about=f"Myself, born {person.dob_display}, known to children's services as a teenager",
                identity_verified_how="photo_id",
                received_on=self._received(35),
            )
            subject_access.choose_person(self.officer, sar, person)
            subject_access.extend(
                self.officer, sar, reason="Records from the council, the police and two schools to find and review"
            )
            self._count("SubjectAccessRequest (extended)")
