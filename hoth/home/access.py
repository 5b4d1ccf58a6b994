"""Who may open the home page."""

from hoth.access.policy import rule


@rule("home.view")
def view(user, obj):
    """The home page: everyone signed in, each seeing what their roles need."""
    return True
