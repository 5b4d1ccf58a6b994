"""Where a postcode is, from the partnership's own records.

The service runs on a closed network with no geocoder to call, so a
postcode is placed at the middle of the addresses and places already
recorded with it, or failing that with its sector (a few streets). That is
accurate enough for a 200-metre hotspot cell; nothing is sent anywhere."""

from django.db.models import Avg, Q

from hoth.analytics.identifiers import normalise_postcode, postcode_sector


def locate(postcode):
    """(latitude, longitude) for a postcode, or (None, None) if no record near it has coordinates."""
    from hoth.people.models import Address

    from .models import Context

    normal = normalise_postcode(postcode)
    if not normal:
        return None, None
    for match in (Q(postcode=normal), Q(postcode__startswith=postcode_sector(normal))):
        for model in (Address, Context):
            found = model.objects.filter(match, latitude__isnull=False).aggregate(
                lat=Avg("latitude"), lng=Avg("longitude")
            )
            if found["lat"] is not None:
                return found["lat"], found["lng"]
    return None, None
