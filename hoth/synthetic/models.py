"""What the synthetic generator knows and the register must not: which records
are really the same person.

Agencies record the same child differently (a nickname, a typo, a month
instead of a date of birth). The generator makes those differences on purpose
and writes down the truth here, so record-linkage code can be measured for
precision and recall against it. Real data never has a TrueIdentity.

The Pursue side (hoth.synthetic.pursue) plants networks of exploitation,
hotspots and noise the analysis must see through; what it planted is kept in
PlantedNetwork, PlantedMember, PlantedHotspot and NoiseLink, so tests check
that the analytics find it rather than only that they run.
"""

from django.db import models


class TrueIdentity(models.Model):
    """One row for every generated Person: the real individual (cluster) the
    record describes, and how it differs from that individual's first record."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="true_identity")
    cluster_id = models.PositiveIntegerField(db_index=True)
    # The first record of a cluster is the one the generator perturbs others from.
    is_primary = models.BooleanField(default=True)
    # Comma-separated, e.g. "nickname,partial_dob": what was changed, for
    # explaining a missed or a false match.
    perturbations = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "true identities"

    def __str__(self):
        return f"Person {self.person_id} is individual {self.cluster_id}"


# ------------------------------------------------------------ the Pursue side's truth


class PlantedNetwork(models.Model):
    """A network of exploitation the generator planted (hoth.synthetic.pursue):
    a county line, a child sexual exploitation network or a peer group. Tests
    and benchmarks check that network analysis finds it again; a later step
    (disruption) takes its subjects from here. Real data never has these rows."""

    class Kind(models.TextChoices):
        COUNTY_LINES = "county_lines", "County line"
        CSE = "cse", "Child sexual exploitation network"
        PEER_GROUP = "peer_group", "Peer group"

    key = models.CharField(max_length=40, unique=True, help_text="For example 'county-lines-1'")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=200)
    town = models.CharField(max_length=80, help_text="Where the children are exploited")
    origin = models.CharField(max_length=80, blank=True, help_text="The city a county line runs from")
    harm_type = models.CharField(max_length=40, help_text="Harm type code")
    began_on = models.DateField()

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.name


class PlantedMember(models.Model):
    """A subject of a planted network and its part in it. A subject belongs to
    one planted network at most; subjects in no network (background links)
    have no row."""

    class Role(models.TextChoices):
        HUB = "hub", "Hub adult"
        ADULT = "adult", "Adult of concern"
        RESIDENT = "resident", "Resident of a trap house"
        RUNNER = "runner", "Runner (child)"
        CHILD = "child", "Exploited child"
        PEER_OF_CONCERN = "peer_of_concern", "Peer of concern"
        MEMBER = "member", "Member of a peer group (child)"
        TRAP_HOUSE = "trap_house", "Trap house"
        PLACE = "place", "Place"
        GROUP = "group", "Group"
        ONLINE = "online", "Online space or account"
        VEHICLE = "vehicle", "Vehicle"
        DEAL_LINE = "deal_line", "Deal line"
        PHONE = "phone", "Phone"

    network = models.ForeignKey(PlantedNetwork, on_delete=models.CASCADE, related_name="members")
    subject = models.OneToOneField("intelligence.Subject", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16, choices=Role.choices)
    out_of_area = models.BooleanField(default=False, help_text="Lives in the city the county line runs from")

    class Meta:
        ordering = ["network", "id"]

    def __str__(self):
        return f"{self.get_role_display()} of {self.network}"


class PlantedHotspot(models.Model):
    """A place where the generator planted a concentration of located events
    (incidents, missing children found, intelligence) with a time pattern, over
    an even background: hotspot analysis must find its cell significant, and an
    emerging one as emerging in the later of the last two years."""

    class Pattern(models.TextChoices):
        EVENING = "evening", "Evenings (18:00 to midnight)"
        WEEKEND = "weekend", "Weekends (Friday to Sunday)"
        SUMMER = "summer", "The summer holiday"

    name = models.CharField(max_length=200)
    town = models.CharField(max_length=80)
    place = models.ForeignKey("contexts.Context", on_delete=models.CASCADE, related_name="+")
    latitude = models.FloatField()
    longitude = models.FloatField()
    resolution = models.PositiveSmallIntegerField(help_text="H3 resolution of `cell`")
    cell = models.CharField(max_length=16, help_text="The H3 cell the place is in")
    harm_type = models.CharField(max_length=40)
    kinds = models.CharField(max_length=100, help_text="Kinds of event planted, comma-separated")
    pattern = models.CharField(max_length=7, choices=Pattern.choices)
    emerging = models.BooleanField(default=False, help_text="Planted only in the last year")
    events = models.PositiveIntegerField(help_text="Events planted there")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class NoiseLink(models.Model):
    """A link planted to join two planted networks that an analysis must not
    count: expired, poorly graded, or a proposal an analyst rejected."""

    class Reason(models.TextChoices):
        EXPIRED = "expired", "Ended long ago"
        POORLY_GRADED = "poorly_graded", "Poorly graded"
        REJECTED = "rejected", "Proposed and rejected"

    link = models.OneToOneField("intelligence.Link", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=13, choices=Reason.choices)

    def __str__(self):
        return f"Link {self.link_id}: {self.get_reason_display().lower()}"
