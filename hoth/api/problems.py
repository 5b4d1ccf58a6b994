"""Errors as problem documents (RFC 9457, application/problem+json).

Refusals are audited here too (one event, as for every API call): a partner
system probing for people it may not see, or guessing token secrets, is
exactly what an auditor needs to find.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

CONTENT_TYPE = "application/problem+json"

PROBLEM_TYPES = {
    400: ("invalid-request", "Your request is not valid"),
    401: ("not-authenticated", "Authentication is required"),
    403: ("forbidden", "You may not do this"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Conflict"),
    413: ("too-large", "The request is too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("unprocessable", "The request cannot be processed"),
    429: ("too-many-requests", "Too many requests"),
}


# Error codes that mean "keeps to the schema but breaks a rule of the service":
# answered 422, so that 400 always means the request broke the schema.
# (The schema cannot say "no NUL or lone surrogate in a string" either.)
RULE_CODES = {"rule", "does_not_exist", "null_characters_not_allowed", "surrogate_characters_not_allowed"}


def _codes(detail):
    if isinstance(detail, dict):
        return {code for value in detail.values() for code in _codes(value)}
    if isinstance(detail, list):
        return {code for value in detail for code in _codes(value)}
    return {getattr(detail, "code", "invalid")}


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


def _audit_refusal(exc, request, code):
    """One access_denied event for a refused request from someone who showed
    credentials. Requests with none at all are not logged: anyone on the
    internet can make those, and they reach nothing."""
    from hoth.accounts.models import ApiToken
    from hoth.audit.log import record

    detail = {"status": code, "method": request.method, "path": request.path, "via": "api"}
    reason = str(getattr(exc, "detail", exc))
    user = getattr(request, "_user", None)
    if code == status.HTTP_401_UNAUTHORIZED:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer "):
            return
        prefix = header[len("Bearer ") :].strip().partition(".")[0][:12]
        token = ApiToken.objects.filter(prefix=prefix).select_related("account").first()
        record(
            "access_denied",
            request=request._request,
            user=token.account if token else None,
            actor="" if token else f"token {prefix}",
            obj=token,
            reason=reason,
            detail=detail,
        )
        return
    if user is None or not user.is_authenticated:
        return
    auth = getattr(request, "_auth", None)
    if isinstance(auth, ApiToken):
        detail["token"] = auth.prefix
    record("access_denied", request=request._request, user=user, reason=reason, detail=detail)


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def _body(code, detail, request):
    slug, title = PROBLEM_TYPES.get(code, ("error", "Error"))
    body = {"type": f"/api/problems/{slug}", "title": title, "status": code, "detail": detail}
    if request is not None:
        body["instance"] = request.get_full_path()
    return body


def problem_response(code, detail, request):
    """A problem document answered before DRF is reached (by middleware)."""
    response = JsonResponse(_body(code, detail, request), status=code, content_type=CONTENT_TYPE)
    if code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="hoth"'
    return response


def problem_exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge(
            f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes. Send less in one request."
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and _codes(exc.detail) <= RULE_CODES:
        response.status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    code = response.status_code
    request = context.get("request")
    if isinstance(exc, exceptions.ValidationError):
        body = _body(
            code,
            "One or more fields break a rule of the service." if code == 422 else "One or more fields are not valid.",
            request,
        )
        body["errors"] = list(_field_errors(exc.detail))
    else:
        body = _body(code, str(getattr(exc, "detail", exc)), request)
    if request is not None and code in (
        status.HTTP_401_UNAUTHORIZED,
        status.HTTP_403_FORBIDDEN,
        status.HTTP_404_NOT_FOUND,
    ):
        _audit_refusal(exc, request, code)
    response.data = body
    response.content_type = CONTENT_TYPE
    if code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="hoth"'
    return response
