"""What staff do to the directory: one transaction each, used by the staff
pages, the demo generator and anything else that changes a service."""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from hoth.audit import log

from .models import Service

_TOWNS_CACHE_KEY = "directory:towns"


def known_towns():
    """Every town some service names, for the search forms; cached because
    every public page shows it and it changes only when a service does."""
    towns = cache.get(_TOWNS_CACHE_KEY)
    if towns is None:
        found = set()
        for listed in Service.objects.values_list("towns", flat=True):
            found.update(listed or [])
        towns = sorted(found)
        cache.set(_TOWNS_CACHE_KEY, towns, 3600)
    return towns


def forget_towns():
    cache.delete(_TOWNS_CACHE_KEY)


def stale_services(today=None):
    """Services nobody has checked for over a year, oldest first: for the
    administrators' attention panel. Published ones matter most (children can
    read them), so they come first."""
    return Service.objects.stale(today).order_by("-is_published", "last_reviewed", "name")


@transaction.atomic
def save_service(service, *, user, harm_types=None, audit=None):
    creating = service.pk is None
    service.updated_by = user
    service.full_clean()
    service.save()
    if harm_types is not None:
        service.harm_types.set(harm_types)
    forget_towns()
    log.record("create" if creating else "update", audit=audit, user=user, obj=service)
    return service


@transaction.atomic
def mark_reviewed(service, *, user, today=None, audit=None):
    service.last_reviewed = today or timezone.localdate()
    service.updated_by = user
    service.save(update_fields=["last_reviewed", "updated_by", "updated_at"])
    log.record("update", audit=audit, user=user, obj=service, detail={"reviewed": True})
    return service


@transaction.atomic
def set_published(service, published, *, user, audit=None):
    service.is_published = published
    service.updated_by = user
    service.save(update_fields=["is_published", "updated_by", "updated_at"])
    log.record("update", audit=audit, user=user, obj=service, detail={"published": published})
    return service


def search(*, town="", need="", age=None, audience="children"):
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
