"""Every request runs in hoth.audit.log.surviving_rollback(): what someone saw
or tried is audited even when the transaction it was recorded in rolls back."""

from .context import AuditContext
from .log import surviving_rollback


class AuditSurvivesRollbackMiddleware:
    """Also gives each request its audit context (request.audit: the client's
    address and a request id, sent back as X-Request-ID)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.audit = AuditContext.of(request)
        # Django has turned any exception from the view into a response by the
        # time it reaches here, so every transaction of the request has ended.
        with surviving_rollback():
            response = self.get_response(request)
        response["X-Request-ID"] = request.audit.request_id
        return response
