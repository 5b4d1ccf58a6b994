"""Pages of API results: at most MAX_LIMIT at a time, and a limit or offset
that is not a whole number in range is a bad request, not quietly the default
(a partner system that asks for offset=null must learn its mistake)."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _whole_number(request, name, minimum, maximum=None):
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if len(request.query_params.getlist(name)) > 1:
        raise ValidationError({name: [f"Send {name} once"]})
    limit = f" and {maximum}" if maximum is not None else " or more"
    message = f"{name.capitalize()} must be a whole number {'between ' if maximum is not None else ''}{minimum}{limit}"
    if not raw.isdigit() or len(raw) > 12:
        raise ValidationError({name: [message]})
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        raise ValidationError({name: [message]})
    return value


class Page(pagination.LimitOffsetPagination):
    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT

    def get_limit(self, request):
        value = _whole_number(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if value is None else value

    def get_offset(self, request):
        value = _whole_number(request, self.offset_query_param, 0)
        return 0 if value is None else value


# How the schema describes them, for the views that page by hand.
PARAMETERS = [
    OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                     description=f"How many to return (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})"),
    OpenApiParameter("offset", {"type": "integer", "minimum": 0}, description="How many to skip (default 0)"),
]
