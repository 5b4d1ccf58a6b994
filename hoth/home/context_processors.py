from django.conf import settings


def service(request):
    return {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "service_name": settings.SERVICE_NAME,
        "idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "idle_warning": settings.SESSION_IDLE_WARNING,
    }
