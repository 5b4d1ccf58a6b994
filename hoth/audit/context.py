"""Where a change came from, as the audit log records it.

Services take the acting user and an `AuditContext` as keyword arguments,
never the HTTP request: a service is called from pages, the API, background
jobs and commands alike, and only a page or the API has a request. Each
request gets its context once, from the middleware (`request.audit`).
"""

import ipaddress
import uuid
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class AuditContext:
    ip: str | None = None
    # Sent back as the X-Request-ID header, so a support call can find the
    # events of one request.
    request_id: str = ""

    @classmethod
    def of(cls, request) -> "AuditContext":
        """The context of `request`: the one the middleware gave it, or (for a
        request made without the middleware, as in a unit test) a new one."""
        made = getattr(request, "audit", None)
        if isinstance(made, AuditContext):
            return made
        return cls(ip=client_ip(request), request_id=uuid.uuid4().hex)


def client_ip(request: HttpRequest | None) -> str | None:
    # Behind a proxy the service trusts only REMOTE_ADDR as set by the proxy's
    # WSGI configuration; X-Forwarded-For can be forged by the client.
    return ip_address(request.META.get("REMOTE_ADDR")) if request is not None else None


def ip_address(value: object) -> str | None:
    """The address as PostgreSQL's inet type prints it, or None if it is not one."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(str(value).strip().split("%")[0])
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)
