"""Who may read the board's measures and the figures behind them."""

from hoth.access.policy import rule
from hoth.access.roles import SCHEDULED_JOB
from hoth.accounts.roles import Role


@rule("measure.read")
def read_measures(user, obj):
    """The data dictionary: what every measure means and how it is worked
    out, for all staff (no figures, no names)."""
    return not user.is_service_account


@rule("insight.view")
def view_figures(user, obj):
    """The board's figures: the dashboard and its breakdowns, aggregates only,
    small counts suppressed: managers and board members."""
    return user.has_role(Role.MANAGER)


@rule("insight.compute")
def compute(user, obj):
    """Reading every child's records to count them for the board's figures
    (never shown row by row): managers and board members, and the job
    scheduler freezing a month's figures."""
    return user is SCHEDULED_JOB or user.has_role(Role.MANAGER)
