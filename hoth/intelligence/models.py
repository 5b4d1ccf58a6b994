"""Partner intelligence, the subjects it is about, and the graded links between them.

* A practitioner submits an `IntelligenceReport`: what, when, where, who and how
  they know. An analyst grades it with the national 3x5x2 model (reference data:
  `GradingCode`) and writes a sanitised version for wider sharing; reports
  imported from older systems keep their 5x5x5 grades and are shown as such.
* A `Subject` is anything intelligence can be about: a person (a child, an adult
  or a peer of concern), a place, a group or an online space (all `Context`s),
  a vehicle or a phone. One table of subjects gives the network one set of ids.
* A `Link` is a typed, time-bounded, graded association between two subjects,
  resting on a piece of intelligence or another record. Links proposed from
  referrals, missing episodes and screenings wait for an analyst to accept them.

Who may see what is decided in hoth.intelligence.access; every query here goes
through the `visible_to` managers.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access.policy import ScopedQuerySet
from hoth.analytics.identifiers import display_registration
from hoth.analytics.network import LinkType as NetworkLinkType
from hoth.encryption import EncryptedTextField
from hoth.people.models import new_reference


class Scheme(models.TextChoices):
    NATIONAL = "3x5x2", "3x5x2"
    LEGACY = "5x5x5", "5x5x5 (legacy)"


def written(scheme, source, intelligence, handling):
    """As analysts write a grading: '1B P'; legacy 'B2 4 (5x5x5)'."""
    text = f"{source}{intelligence}{f' {handling}' if handling else ''}"
    return f"{text} (5x5x5)" if scheme == Scheme.LEGACY else text


class GradingCode(models.Model):
    """One code of a grading scheme (College of Policing 3x5x2, or the legacy
    5x5x5 still found on imported intelligence). Loaded from
    fixtures/grading_codes.json; a legacy code names its 3x5x2 `equivalent`,
    which is what the network's grading filter and the sharing rules use."""

    class Dimension(models.TextChoices):
        SOURCE = "source", "Source evaluation"
        INTELLIGENCE = "intelligence", "Intelligence assessment"
        HANDLING = "handling", "Handling code"

    scheme = models.CharField(max_length=5, choices=Scheme.choices)
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    code = models.CharField(max_length=2)
    label = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # Higher is more reliable (source), better known (intelligence); for handling, unused.
    rank = models.PositiveSmallIntegerField(default=0)
    # For legacy codes: the 3x5x2 code of the same dimension it is read as ("" for a
    # handling code that allows no sharing beyond police and analysts).
    equivalent = models.CharField(max_length=2, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.CharField(max_length=20, blank=True, help_text="Fixture version it came from")

    class Meta:
        ordering = ["scheme", "dimension", "position"]
        constraints = [models.UniqueConstraint(fields=["scheme", "dimension", "code"], name="grading_code_once")]

    def __str__(self):
        return f"{self.code}: {self.label}"


class Vehicle(models.Model):
    """A vehicle of concern. The registration is kept as DVLA compares it (no
    spaces), so the same car recorded twice is found."""

    reference = models.CharField(max_length=12, unique=True, editable=False)
    registration = models.CharField(max_length=8, unique=True)
    foreign_plate = models.BooleanField(default=False)
    make = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["registration"]

    def __str__(self):
        described = " ".join(part for part in (self.colour, self.make, self.model) if part)
        return f"{self.display_registration}{f' ({described})' if described else ''}"

    @property
    def display_registration(self):
        return display_registration(self.registration)

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference("V")
        super().save(*args, **kwargs)


class Phone(models.Model):
    """A phone number of concern (E.164), such as a deal line: its own subject,
    because several people may use one number and one person many numbers."""

    reference = models.CharField(max_length=12, unique=True, editable=False)
    e164 = models.CharField("Phone number", max_length=20, unique=True)
    description = models.CharField(max_length=200, blank=True, help_text="For example, the 'Tiny' line")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["e164"]

    def __str__(self):
        return self.e164

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference("T")
        super().save(*args, **kwargs)


class Subject(models.Model):
    """Something intelligence is about. Exactly one of person, context, vehicle
    or phone is set, as `kind` says; `reference` is that record's own reference,
    so a subject is found by the reference practitioners already use."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        PLACE = "place", "Place"
        GROUP = "group", "Group"
        ONLINE = "online", "Online space or account"
        VEHICLE = "vehicle", "Vehicle"
        PHONE = "phone", "Phone"

    reference = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=7, choices=Kind.choices, db_index=True)
    person = models.OneToOneField(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="subject"
    )
    context = models.OneToOneField(
        "contexts.Context", null=True, blank=True, on_delete=models.PROTECT, related_name="subject"
    )
    vehicle = models.OneToOneField(Vehicle, null=True, blank=True, on_delete=models.PROTECT, related_name="subject")
    phone = models.OneToOneField(Phone, null=True, blank=True, on_delete=models.PROTECT, related_name="subject")
    # A person, place, group, vehicle or phone the partnership is concerned
    # about (a person of concern on the panel's agenda, a place of concern).
    of_concern = models.BooleanField(default=False, db_index=True)
    concern = EncryptedTextField(blank=True, help_text="Why it is of concern")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    flagged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                name="subject_is_one_thing",
                condition=(
                    models.Q(
                        kind="person",
                        person__isnull=False,
                        context__isnull=True,
                        vehicle__isnull=True,
                        phone__isnull=True,
                    )
                    | models.Q(
                        kind__in=["place", "group", "online"],
                        person__isnull=True,
                        context__isnull=False,
                        vehicle__isnull=True,
                        phone__isnull=True,
                    )
                    | models.Q(
                        kind="vehicle",
                        person__isnull=True,
                        context__isnull=True,
                        vehicle__isnull=False,
                        phone__isnull=True,
                    )
                    | models.Q(
                        kind="phone",
                        person__isnull=True,
                        context__isnull=True,
                        vehicle__isnull=True,
                        phone__isnull=False,
                    )
                ),
            ),
        ]

    def __str__(self):
        return str(self.record)

    @property
    def record(self):
        return self.person or self.context or self.vehicle or self.phone

    @property
    def name(self):
        if self.person_id:
            return self.person.full_name
        if self.vehicle_id:
            return f"Vehicle {self.vehicle}"
        if self.phone_id:
            return f"Phone {self.phone}"
        return self.context.name


class IntelligenceReport(models.Model):
    """A piece of partner intelligence, as the practitioner gave it, and its
    grading. The original is for analysts and police; others read the
    sanitised version, when its handling code lets them."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting to be graded"
        GRADED = "graded", "Graded"

    class Source(models.TextChoices):
        WEB = "web", "Partner intelligence form"
        IMPORT = "import", "Imported from an earlier system"

    class HowKnown(models.TextChoices):
        SEEN = "seen", "I saw or heard it myself"
        CHILD = "child", "The child told me"
        OTHER_PERSON = "other_person", "Someone else told me"
        RECORD = "record", "From a record or another system"
        OTHER = "other", "Another way"

    reference = models.CharField(max_length=12, unique=True, editable=False)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.WEB)
    what = EncryptedTextField(help_text="What was seen, heard or found")
    happened_on = models.DateField(null=True, blank=True)
    happened_at_time = models.TimeField(null=True, blank=True)
    where = models.CharField(max_length=300, blank=True)
    place = models.ForeignKey(
        "contexts.Context", null=True, blank=True, on_delete=models.PROTECT, related_name="intelligence"
    )
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    who = EncryptedTextField(blank=True, help_text="The people involved, as the submitter describes them")
    about_person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intelligence_about",
        help_text="A child the submitter works with, if it is about them",
    )
    how_known = models.CharField(max_length=12, choices=HowKnown.choices)
    how_known_detail = EncryptedTextField(blank=True)
    harm_types = models.ManyToManyField("referrals.HarmType", blank=True, related_name="intelligence")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intelligence_submitted"
    )
    submitted_by_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Grading (3x5x2; 5x5x5 on imported reports, shown as given).
    scheme = models.CharField(max_length=5, choices=Scheme.choices, blank=True)
    source_evaluation = models.CharField(max_length=2, blank=True)
    intelligence_assessment = models.CharField(max_length=2, blank=True)
    handling_code = models.CharField(max_length=2, blank=True)
    handling_conditions = EncryptedTextField(blank=True)
    # Handling code C: the agencies the conditions let it be shared with.
    shared_with = models.ManyToManyField("accounts.Agency", blank=True, related_name="+")
    sanitised = EncryptedTextField(blank=True, help_text="The version for wider sharing")
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    imported_reference = models.CharField(
        max_length=60, blank=True, help_text="Its reference in the system it was imported from"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["imported_reference"],
                condition=~models.Q(imported_reference=""),
                name="intelligence_imported_once",
            ),
            models.CheckConstraint(
                name="graded_intelligence_has_grading",
                condition=models.Q(status="submitted")
                | (~models.Q(scheme="") & ~models.Q(source_evaluation="") & ~models.Q(intelligence_assessment="")),
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference("I")
        super().save(*args, **kwargs)

    @property
    def is_graded(self):
        return self.status == self.Status.GRADED

    @property
    def grading(self):
        """As analysts write it: '1B P' for 3x5x2, 'B2 4 (5x5x5)' for legacy."""
        if not self.is_graded:
            return ""
        return written(self.scheme, self.source_evaluation, self.intelligence_assessment, self.handling_code)


class Mention(models.Model):
    """A subject an analyst has found in a report."""

    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE, related_name="mentions")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="mentions")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["report", "subject"], name="mention_once")]


class LinkType(models.TextChoices):
    """The associations analysts record. Each maps onto a network link type
    code (hoth.analytics.network.LinkType)."""

    SEEN_WITH = "seen_with", "Seen with"
    FREQUENTS = "frequents", "Frequents"
    DRIVES = "drives", "Drives"
    USES = "uses", "Uses"
    PEER = "peer", "Peer of"
    MEMBER_OF = "member_of", "Member of"
    ASSOCIATED_WITH = "associated_with", "Associated with"


NETWORK_LINK_TYPE = {
    LinkType.SEEN_WITH: NetworkLinkType.SEEN_WITH,
    LinkType.FREQUENTS: NetworkLinkType.FREQUENTS,
    LinkType.DRIVES: NetworkLinkType.DRIVES,
    LinkType.USES: NetworkLinkType.USES,
    LinkType.PEER: NetworkLinkType.PEER,
    LinkType.MEMBER_OF: NetworkLinkType.MEMBER_OF,
    LinkType.ASSOCIATED_WITH: NetworkLinkType.ASSOCIATED_WITH,
}


class Confidence(models.TextChoices):
    """How sure the analyst is that the association is real; weights the
    network's communities."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


CONFIDENCE_WEIGHT = {Confidence.HIGH: 0.9, Confidence.MEDIUM: 0.6, Confidence.LOW: 0.3}


class LinkQuerySet(ScopedQuerySet):
    def accepted(self):
        return self.filter(status=Link.Status.ACCEPTED)

    def proposed(self):
        return self.filter(status=Link.Status.PROPOSED)

    def current(self, day=None):
        """Accepted links valid on `day` (today by default)."""
        day = day or timezone.localdate()
        return self.accepted().filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )

    def of(self, subject):
        return self.filter(models.Q(source=subject) | models.Q(target=subject))


LINK_DATES_BACKWARDS = "The date the link ends must be on or after the date it starts"


class Link(models.Model):
    """An association between two subjects, never treated as fact without its
    grading. It rests on one record: a piece of intelligence, or the referral,
    missing episode or screening it was proposed from."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed, waiting for an analyst"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    source = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="links_out")
    target = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="links_in")
    type = models.CharField(max_length=15, choices=LinkType.choices)
    role = models.CharField(max_length=120, blank=True, help_text="A member's role in a group, e.g. 'runner'")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACCEPTED, db_index=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    scheme = models.CharField(max_length=5, choices=Scheme.choices, blank=True)
    source_evaluation = models.CharField(max_length=2, blank=True)
    intelligence_assessment = models.CharField(max_length=2, blank=True)
    confidence = models.CharField(max_length=6, choices=Confidence.choices, default=Confidence.MEDIUM)
    intelligence = models.ForeignKey(
        IntelligenceReport, null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    missing_episode = models.ForeignKey(
        "cases.MissingEpisode", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    screening = models.ForeignKey(
        "screening.Screening", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Why the service proposed it, in words an analyst can check against the
    # record ("'Tiny' is a street name of P-…").
    proposed_because = models.CharField(max_length=300, blank=True)
    notes = EncryptedTextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the service proposed it",
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=300, blank=True)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["source", "status"]), models.Index(fields=["target", "status"])]
        constraints = [
            models.CheckConstraint(name="link_joins_two_subjects", condition=~models.Q(source=models.F("target"))),
            models.CheckConstraint(
                name="link_ends_after_it_starts",
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
            ),
            models.CheckConstraint(
                name="accepted_link_is_graded",
                condition=~models.Q(status="accepted")
                | (~models.Q(scheme="") & ~models.Q(source_evaluation="") & ~models.Q(intelligence_assessment="")),
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_type_display().lower()} {self.target}"

    @property
    def grading(self):
        if not self.scheme:
            return ""
        return written(self.scheme, self.source_evaluation, self.intelligence_assessment, "")

    @property
    def basis(self):
        """The record it rests on."""
        return self.intelligence or self.referral or self.missing_episode or self.screening

    def other_end(self, subject):
        return self.target if self.source_id == subject.pk else self.source


class LinkAlert(models.Model):
    """Accepting `link` joined children to a network with a person of concern
    or a child at High level in it (hoth.analytics.network.link_alert). Kept so
    the coordinator and each lead professional told can open what they were
    told, each seeing only the people they may see."""

    link = models.ForeignKey(Link, on_delete=models.PROTECT, related_name="alerts")
    reason = models.CharField(max_length=300)
    direct = models.BooleanField(default=False)
    children = models.ManyToManyField("people.Person", related_name="link_alerts")
    persons_of_concern = models.ManyToManyField(Subject, blank=True, related_name="+")
    high_level_children = models.ManyToManyField("people.Person", blank=True, related_name="+")
    told = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="link_alerts")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"New-link alert {self.pk}"


class StagedReport(models.Model):
    """A row of an import being checked (hoth.intelligence.imports): what the
    report will be, kept apart until every row of the file has passed, then
    copied into IntelligenceReport in one short transaction and removed.
    Its columns carry IntelligenceReport's names so the copy is one
    INSERT ... SELECT; texts are encrypted here as there, and copied as they
    are."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="+")
    line = models.PositiveIntegerField(help_text="The row's number in the file (the header is 1)")
    reference = models.CharField(max_length=12, unique=True)
    imported_reference = models.CharField(max_length=60)
    submitted_by_agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField()
    what = EncryptedTextField()
    happened_on = models.DateField(null=True, blank=True)
    where = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    who = EncryptedTextField(blank=True)
    how_known = models.CharField(max_length=12)
    scheme = models.CharField(max_length=5)
    source_evaluation = models.CharField(max_length=2)
    intelligence_assessment = models.CharField(max_length=2)
    handling_code = models.CharField(max_length=2)
    handling_conditions = EncryptedTextField(blank=True)
    sanitised = EncryptedTextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["job", "line"], name="staged_report_job_line")]


class StagedReportHarm(models.Model):
    """A kind of harm a staged report carries, by the report's reference:
    published with one INSERT ... SELECT joined on the reference."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(max_length=12)
    harm_type = models.ForeignKey("referrals.HarmType", on_delete=models.CASCADE, related_name="+")


class StagedReportShare(models.Model):
    """An agency a staged report is shared with (handling code C only, as the
    import shares no further), by the report's reference."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(max_length=12)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
