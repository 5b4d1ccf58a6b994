"""The board's measures as reference data: what each KPI means, how it is
worked out, and what the partnership aims for."""

from django.conf import settings
from django.db import models


class Objective(models.TextChoices):
    """The five strategic objectives of the Harm Outside the Home strategy 2026-2029."""

    PREVENTION = "prevention", "Prevention and early identification"
    PROTECTION = "protection", "Protecting through support and intervention"
    PURSUE = "pursue", "Pursuing and disrupting people and places of harm"
    BARRIERS = "barriers", "Reducing cultural and social barriers"
    PARTNERSHIP = "partnership", "Collaboration and partnership working"


class Theme(models.TextChoices):
    EARLY_IDENTIFICATION = "early_identification", "Early identification"
    TIMELINESS = "timeliness", "Timeliness"
    REPEAT_HARM = "repeat_harm", "Repeat harm"
    WELLBEING = "wellbeing", "Well-being and safety"
    PURSUE = "pursue", "Pursue"
    PARTNERSHIP = "partnership", "Partnership"


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    YEARS = "years", "Years of age"
    POINTS = "points", "Points on a 0 to 10 scale"
    PERCENTAGE_POINTS = "percentage_points", "Percentage points"
    EPISODES = "episodes", "Missing episodes"
    COUNT = "count", "Number"


# Units of a change from one time to another.
CHANGES = (Unit.POINTS, Unit.PERCENTAGE_POINTS, Unit.EPISODES)


class Direction(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"
    NEITHER = "neither", "Neither: context, not a target"


class MeasureQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class Measure(models.Model):
    """One version of a KPI's definition. A published version is never
    rewritten in what it counts: a change of numerator, denominator or
    calculation is a new version, and the figures frozen under the old one
    keep pointing at it (fixtures/measures.json, loaded by reference.py)."""

    code = models.SlugField(max_length=60)
    version = models.PositiveSmallIntegerField()
    is_current = models.BooleanField(default=True)
    name = models.CharField(max_length=200)
    question = models.TextField(help_text="The question the board asks that this answers")
    objective = models.CharField(max_length=12, choices=Objective.choices)
    theme = models.CharField(max_length=20, choices=Theme.choices)
    calculation = models.CharField(max_length=80, help_text="The calculation's name in hoth.analytics.kpis")
    counts = models.CharField(max_length=20, help_text="What one unit is: children, referrals, returns")
    numerator = models.TextField()
    denominator = models.TextField(blank=True)
    period = models.TextField(help_text="What places a unit in a month or quarter")
    unit = models.CharField(max_length=20, choices=Unit.choices)
    good_direction = models.CharField(max_length=7, choices=Direction.choices)
    target = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    tolerance = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, help_text="How far from target is still near it"
    )
    sources = models.TextField(help_text="The records it reads")
    caveats = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    published_on = models.DateField()

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="one_measure_version"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(is_current=True), name="one_current_measure_version"
            ),
        ]

    def __str__(self):
        return self.name

    def shown(self, value, signed: bool = False) -> str:
        """`value` as the board reads it in this measure's unit: "72.5%",
        "14 years", "+1.2 points"."""
        if value is None:
            return ""
        number = f"{value:+.1f}" if signed else f"{value:,.1f}".removesuffix(".0")
        return {
            Unit.PERCENT: f"{number}%",
            Unit.YEARS: f"{number} years",
            Unit.POINTS: f"{number} points",
            Unit.PERCENTAGE_POINTS: f"{number} percentage points",
            Unit.EPISODES: f"{number} episodes",
            Unit.COUNT: f"{value:,.0f}",
        }[Unit(self.unit)]

    def figure(self, value) -> str:
        """A figure of this measure: a change is written with its sign."""
        return self.shown(value, signed=self.unit in CHANGES)

    @property
    def target_shown(self) -> str:
        if self.target is None:
            return "None set"
        within = f" (within {self.shown(float(self.tolerance))})" if self.tolerance is not None else ""
        return f"{self.figure(float(self.target))}{within}"


class Frequency(models.TextChoices):
    MONTH = "month", "Monthly"
    QUARTER = "quarter", "Quarterly"


class Snapshot(models.Model):
    """The board's figures frozen for one month: every measure's series to
    the end of `month`, worked out from the records as they stood then, so
    that a report read next year shows what the board saw. Working a month
    out again (after late data) makes a new snapshot that replaces this one
    and says why; this one is kept, no longer current."""

    month = models.DateField(help_text="The first day of the last month the figures cover")
    as_of = models.DateTimeField(help_text="The records as they stood at this moment")
    first_period = models.DateField(help_text="The first day of the first month the figures cover")
    taken_at = models.DateTimeField()
    # Empty for the job scheduler's monthly freeze.
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why the month was worked out again")
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    is_current = models.BooleanField(default=True)
    seconds = models.FloatField(default=0, help_text="How long working it out took")

    class Meta:
        ordering = ["-month", "-taken_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["month"], condition=models.Q(is_current=True), name="one_current_snapshot_a_month"
            )
        ]

    def __str__(self):
        return f"Figures to {self.month:%B %Y}"


class Figure(models.Model):
    """One figure of one measure in a snapshot: a month's or a quarter's, for
    the whole partnership (no breakdown) or one group of a breakdown. The
    counts are kept as worked out; `units_shown` and `value_shown` say what
    disclosure control allows anyone to see (hoth.analytics.kpis.figures)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="figures")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="figures")
    frequency = models.CharField(max_length=7, choices=Frequency.choices)
    period = models.CharField(max_length=12, help_text="'2026-04', or '2026-27 Q1'")
    breakdown = models.CharField(max_length=30, blank=True)
    group = models.CharField(max_length=120, blank=True)
    units = models.PositiveIntegerField()
    numerator = models.FloatField(null=True)
    value = models.FloatField(null=True)
    units_shown = models.BooleanField()
    value_shown = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["snapshot", "measure", "frequency", "breakdown"])]

    @property
    def shown_value(self):
        return self.value if self.value_shown else None

    @property
    def shown_units(self):
        return self.units if self.units_shown else None


class ChildPopulation(models.Model):
    """Reference data: how many children live in the partnership, by year,
    town, single year of age, sex and ethnicity: the denominators of
    disproportionality. A system administrator loads the Office for National
    Statistics' mid-year estimates (with the Census's ethnic groups); the
    demonstration ships a synthetic table consistent with its generator, and
    says so wherever it is used."""

    year = models.PositiveSmallIntegerField(help_text="The mid-year the estimate is for")
    area = models.CharField(max_length=80, help_text="The town")
    age = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=1)
    ethnicity = models.CharField(max_length=2)
    count = models.PositiveIntegerField()
    source = models.CharField(max_length=200)
    is_synthetic = models.BooleanField(default=False)
    loaded_at = models.DateTimeField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["year", "area", "age", "sex", "ethnicity"]
        constraints = [
            models.UniqueConstraint(fields=["year", "area", "age", "sex", "ethnicity"], name="one_population_cell")
        ]
