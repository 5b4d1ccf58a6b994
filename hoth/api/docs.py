"""The API's reference page.

drf-spectacular's own Swagger UI view writes an inline start-up script and
style block, which the service's Content Security Policy (script-src 'self',
style-src 'self') rightly blocks; Redoc injects styles at run time the same
way. So this page serves Swagger UI from the drf-spectacular-sidecar package
(no CDN: it works offline) and starts it from a static file, reading the
schema address from a data attribute.
"""

from django.shortcuts import render

from hoth.access.decorators import public


@public
def docs(request):
    # The schema describes endpoints, not people: partner developers need it
    # before they hold an account, and every endpoint it names is gated.
    return render(request, "api/docs.html")
