"""Pages of API results: at most MAX_LIMIT at a time, and a limit or offset
that is not a whole number in range is a bad request, not quietly the default
(a partner system that asks for offset=null must learn its mistake)."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Far beyond any list the service holds; declared, so that it is a rule of the schema.
MAX_OFFSET = 10**9


def _whole_number(request, name, minimum, maximum):
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if len(request.query_params.getlist(name)) > 1:
        raise ValidationError({name: [f"Send {name} once"]})
    message = f"{name.capitalize()} must be a whole number between {minimum} and {maximum:,}"
    if not raw.isdigit() or len(raw) > len(str(maximum)) or not minimum <= int(raw) <= maximum:
        raise ValidationError({name: [message]})
    return int(raw)


class Page(pagination.LimitOffsetPagination):
    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT

    def get_limit(self, request):
        value = _whole_number(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if value is None else value

    def get_offset(self, request):
        value = _whole_number(request, self.offset_query_param, 0, MAX_OFFSET)
        return 0 if value is None else value


# How the schema describes them, for the views that page by hand.
PARAMETERS = [
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
        description=f"How many to return (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})",
    ),
    OpenApiParameter(
        "offset", {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}, description="How many to skip (default 0)"
    ),
]
