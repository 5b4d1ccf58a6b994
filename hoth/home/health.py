"""The health check that the container, the proxy and monitoring ask.

It answers whether this process can serve and reach its database, and nothing
else: no version, no counts, no names, so it can be open to anyone. It writes
no audit event because it shows no one's data.
"""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hoth.access.decorators import public


@public
@never_cache
@require_safe
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
