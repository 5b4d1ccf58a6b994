from django.conf import settings
from django.core.mail import send_mail

from hoth.accounts.models import User

from .models import Notification


def notify(user: User, subject: str, body: str = "", url: str = "") -> Notification:
    """Tell a user something in the app and by email. Emails carry no personal
    data about a child: only that there is something to look at."""
    note = Notification.objects.create(user=user, subject=subject, body=body, url=url)
    if user.email and not user.is_service_account:
        send_mail(
            f"{settings.SERVICE_NAME}: {subject}",
            "You have a new notification. Sign in to read it.",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
            fail_silently=True,
        )
    return note
