"""What staff do to the directory: one transaction each, used by the staff
pages, the demo generator and anything else that changes a service."""

import datetime
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from hoth.accounts.models import User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.referrals.models import HarmType

from .models import Service
from .selectors import TOWNS_CACHE_KEY


def forget_towns() -> None:
    cache.delete(TOWNS_CACHE_KEY)


@transaction.atomic
def save_service(
    service: Service,
    *,
    user: User,
    harm_types: Iterable[HarmType] | None = None,
    audit: AuditContext | None = None,
) -> Service:
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
def mark_reviewed(
    service: Service, *, user: User, today: datetime.date | None = None, audit: AuditContext | None = None
) -> Service:
    service.last_reviewed = today or timezone.localdate()
    service.updated_by = user
    service.save(update_fields=["last_reviewed", "updated_by", "updated_at"])
    log.record("update", audit=audit, user=user, obj=service, detail={"reviewed": True})
    return service


@transaction.atomic
def set_published(service: Service, published: bool, *, user: User, audit: AuditContext | None = None) -> Service:
    service.is_published = published
    service.updated_by = user
    service.save(update_fields=["is_published", "updated_by", "updated_at"])
    log.record("update", audit=audit, user=user, obj=service, detail={"published": published})
    return service
