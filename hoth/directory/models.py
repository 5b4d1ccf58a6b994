"""The support services directory: what help there is for children and
families in the partnership's area, for practitioners to refer to from a plan
and for children, parents and carers to find for themselves.

A service is not personal data: it is published on the open web. The staff
pages still sit behind the "directory.manage" rule because an edit changes what
a frightened child reads.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from . import needs as needs_list

# A service not checked for a year may have closed or changed its number; a
# child who rings a dead number may not try again.
STALE_AFTER = timedelta(days=365)


def _key(values):
    """'|crewe|nantwich|': lets a plain `contains` lookup find one town or need
    in the list on SQLite and PostgreSQL alike (SQLite cannot search inside a
    JSON list)."""
    cleaned = [str(v).strip().lower() for v in values if str(v).strip()]
    return "|" + "|".join(cleaned) + "|" if cleaned else ""


class ServiceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def stale(self, today=None):
        today = today or timezone.localdate()
        return self.filter(last_reviewed__lt=today - STALE_AFTER)

    def in_town(self, town):
        """Services covering `town`, including those covering the whole area."""
        return self.filter(models.Q(area_wide=True) | models.Q(towns_key__contains=_key([town])))

    def for_need(self, code):
        return self.filter(needs_key__contains=_key([code]))

    def for_age(self, age):
        return self.filter(age_min__lte=age, age_max__gte=age)


class Service(models.Model):
    name = models.CharField(max_length=150)
    provider = models.CharField(max_length=150, help_text="The organisation that runs it")
    offers = models.CharField(max_length=200, help_text="What it offers, in one short line")
    description_adult = models.TextField("Description for parents, carers and professionals")
    description_child = models.TextField(
        "Description for children",
        help_text="Short sentences and everyday words. Speak to the child: 'you can...'",
    )
    harm_types = models.ManyToManyField("referrals.HarmType", blank=True, related_name="services")
    needs = models.JSONField(default=list, blank=True, help_text="Codes from hoth.directory.needs")
    age_min = models.PositiveSmallIntegerField(default=0)
    age_max = models.PositiveSmallIntegerField(default=25)
    towns = models.JSONField(default=list, blank=True)
    area_wide = models.BooleanField("Covers the whole area", default=False)
    for_children = models.BooleanField("Children and young people can use it", default=True)
    for_parents = models.BooleanField("Parents and carers can use it", default=True)
    self_referral = models.BooleanField(default=True)
    professional_referral = models.BooleanField(default=True)
    phone = models.CharField(max_length=40, blank=True)
    text_number = models.CharField("Text message number", max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    address = models.CharField(max_length=250, blank=True)
    opening_hours = models.CharField(max_length=250, blank=True)
    languages = models.CharField(max_length=250, blank=True, default="English")
    accessibility = models.TextField(blank=True)
    last_reviewed = models.DateField(default=timezone.localdate)
    is_published = models.BooleanField(default=False)
    # Denormalised from towns and needs on save, for searching (see _key).
    towns_key = models.TextField(blank=True, editable=False)
    needs_key = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["is_published", "name"], name="directory_published_name")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValidationError({"age_max": "The oldest age must be the same as or more than the youngest age"})
        unknown = [code for code in self.needs or [] if code not in needs_list.BY_CODE]
        if unknown:
            raise ValidationError({"needs": f"Unknown need: {', '.join(unknown)}"})
        if not self.area_wide and not self.towns:
            raise ValidationError({"towns": "Select the towns it covers, or that it covers the whole area"})

    def save(self, *args, **kwargs):
        self.towns_key = _key(self.towns or [])
        self.needs_key = _key(self.needs or [])
        super().save(*args, **kwargs)

    @property
    def is_stale(self):
        return self.last_reviewed < timezone.localdate() - STALE_AFTER

    def need_labels_child(self):
        return [needs_list.child_label(c) for c in self.needs]

    def need_labels_adult(self):
        return [needs_list.adult_label(c) for c in self.needs]

    def ages_text(self):
        return f"{self.age_min} to {self.age_max}"

    def towns_text(self):
        return "The whole area" if self.area_wide else ", ".join(self.towns)
