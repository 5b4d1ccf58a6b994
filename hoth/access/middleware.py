"""The gate's memo lives for one request (see hoth.access.memo)."""

from . import memo


class AccessMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with memo.remembering():
            return self.get_response(request)
