"""Who may read the platform's messages to a user."""

from hoth.access.policy import may_see, rule, scope


@scope("notifications.Notification")
def visible_notifications(user, notifications):
    """A user's own messages only: they can name a child ("a record you work
    with was opened under break-glass"), and nobody reads another's."""
    return notifications.filter(user=user)


@rule("notification.list")
def list_notifications(user, obj):
    """ "Your notifications": everyone signed in."""
    return True


@rule("notification.open")
def open_notification(user, notification):
    """Opening a message (which marks it read): its recipient."""
    return notification is None or may_see(user, notification)
