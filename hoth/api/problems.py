"""Errors as problem documents (RFC 9457, application/problem+json)."""

from rest_framework import exceptions, status
from rest_framework.views import exception_handler

PROBLEM_TYPES = {
    400: ("invalid-request", "Your request is not valid"),
    401: ("not-authenticated", "Authentication is required"),
    403: ("forbidden", "You may not do this"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Conflict"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: ("too-many-requests", "Too many requests"),
}


def _field_errors(detail, prefix=""):
    """Flatten DRF's nested error detail into [{"field": "a.b", "detail": "..."}]."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else f"{prefix}{key}"
            yield from _field_errors(value, f"{name}." if name else "")
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                yield from _field_errors(value, f"{prefix}{index}.")
            else:
                yield {"field": prefix.rstrip("."), "detail": str(value)}
    else:
        yield {"field": prefix.rstrip("."), "detail": str(detail)}


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    slug, title = PROBLEM_TYPES.get(code, ("error", "Error"))
    body = {"type": f"/api/problems/{slug}", "title": title, "status": code}
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = "One or more fields are not valid."
        body["errors"] = list(_field_errors(exc.detail))
    else:
        body["detail"] = str(getattr(exc, "detail", exc))
    request = context.get("request")
    if request is not None:
        body["instance"] = request.get_full_path()
    response.data = body
    response.content_type = "application/problem+json"
    if code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="hoth"'
    return response
