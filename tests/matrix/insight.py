"""Who may use the board's pages: the data dictionary is for all staff."""

from .common import EVERYONE_SIGNED_IN, Rule


def measure(world, user, scope):
    from hoth.insight import reference

    reference.load()
    return {"code": "repeatedly-missing"}


RULES = {
    "insight:measures": Rule(allowed=EVERYONE_SIGNED_IN),
    "insight:measure": Rule(allowed=EVERYONE_SIGNED_IN, kwargs=measure),
}
