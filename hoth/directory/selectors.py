"""What the directory's pages read: the published services a public search
finds (by town, need and age), the towns the search forms offer, and the
services overdue for their yearly check, for the staff pages and the
administrators' attention panel."""

import datetime

from django.core.cache import cache
from django.db.models import QuerySet

from .models import Service

# The cached town list; hoth.directory.services.forget_towns clears it
# whenever a service is saved.
TOWNS_CACHE_KEY = "directory:towns"


def known_towns() -> list[str]:
    """Every town some service names, for the search forms; cached because
    every public page shows it and it changes only when a service does."""
    towns = cache.get(TOWNS_CACHE_KEY)
    if towns is None:
        found: set[str] = set()
        for listed in Service.objects.values_list("towns", flat=True):
            found.update(listed or [])
        towns = sorted(found)
        cache.set(TOWNS_CACHE_KEY, towns, 3600)
    return towns


def stale_services(today: datetime.date | None = None) -> QuerySet[Service]:
    """Services nobody has checked for over a year, oldest first: for the
    administrators' attention panel. Published ones matter most (children can
    read them), so they come first."""
    return Service.objects.stale(today).order_by("-is_published", "last_reviewed", "name")


def search(*, town: str = "", need: str = "", age: int | None = None, audience: str = "children") -> QuerySet[Service]:
    """Published services for the public directory, by town, need and age."""
    services = Service.objects.published()
    services = services.filter(for_children=True) if audience == "children" else services
    if town:
        services = services.in_town(town)
    if need:
        services = services.for_need(need)
    if age is not None:
        services = services.for_age(age)
    return services.only(
        "pk",
        "name",
        "provider",
        "offers",
        "needs",
        "towns",
        "area_wide",
        "age_min",
        "age_max",
        "phone",
        "text_number",
        "self_referral",
        "description_child",
    )
