"""Routes for running the service rather than using it."""

from tests.matrix.common import PUBLIC

RULES = {
    # The health check: open to anyone, because it says only "ok" or that the
    # database is unavailable (hoth/home/health.py).
    "health": PUBLIC,
}
