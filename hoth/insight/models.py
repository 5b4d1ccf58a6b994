"""The board's measures as reference data: what each KPI means, how it is
worked out, and what the partnership aims for."""

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

    @property
    def target_shown(self) -> str:
        if self.target is None:
            return "None set"
        signed = self.unit in (Unit.POINTS, Unit.PERCENTAGE_POINTS, Unit.EPISODES)
        within = f" (within {self.shown(float(self.tolerance))})" if self.tolerance is not None else ""
        return f"{self.shown(float(self.target), signed)}{within}"
