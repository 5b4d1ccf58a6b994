"""Every request runs in hoth.audit.log.surviving_rollback(): what someone saw
or tried is audited even when the transaction it was recorded in rolls back."""

from .log import surviving_rollback


class AuditSurvivesRollbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Django has turned any exception from the view into a response by the
        # time it reaches here, so every transaction of the request has ended.
        with surviving_rollback():
            return self.get_response(request)
