"""The gate's memo lives for one request (see policy.remembering)."""

from . import policy


class AccessMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with policy.remembering():
            return self.get_response(request)
