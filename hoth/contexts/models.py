"""Contexts: the places, peer groups, schools and online spaces where harm
happens (Contextual Safeguarding, Level 2). A context can be the subject of a
referral as a child can; the Pursue work assesses, plans for and reviews them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access import policy
from hoth.people.encryption import EncryptedTextField
from hoth.people.models import new_reference


class ContextQuerySet(models.QuerySet):
    def visible_to(self, user):
        return policy.visible_contexts(user, self)


class Context(models.Model):
    class Kind(models.TextChoices):
        PLACE = "place", "A place"
        PEER_GROUP = "peer_group", "A peer group"
        SCHOOL = "school", "A school or college"
        ONLINE = "online", "An online space"

    class PlaceType(models.TextChoices):
        PARK = "park", "Park or open space"
        TAKEAWAY = "takeaway", "Takeaway or restaurant"
        HOTEL = "hotel", "Hotel or short-let"
        SHOP = "shop", "Shop"
        TAXI_FIRM = "taxi_firm", "Taxi firm"
        STATION = "station", "Station or transport hub"
        HOUSE = "house", "House or flat"
        SCHOOL = "school", "School"
        OTHER = "other", "Other"

    reference = models.CharField(max_length=12, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=200, help_text="What practitioners call it")
    place_type = models.CharField(max_length=12, choices=PlaceType.choices, blank=True)
    address = models.CharField(max_length=300, blank=True)
    town = models.CharField(max_length=80, blank=True, db_index=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    school = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", limit_choices_to={"type": "education"})
    platform = models.CharField(max_length=80, blank=True, help_text="For online spaces")
    handle = models.CharField(max_length=200, blank=True, help_text="Account, group or channel")
    description = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = ContextQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference("C")
        super().save(*args, **kwargs)

