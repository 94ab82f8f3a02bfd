"""The idle clock of a session: when it was last refreshed (config.middleware.
SlidingSessionMiddleware moves the session's expiry forward at most once a minute)."""

import time

IDLE_CLOCK = "_refreshed_at"


def start_idle_clock(sender, request, user, **kwargs):
    """user_logged_in: the login's own session save starts the clock, so the first page
    after a login does not write the session again."""
    request.session[IDLE_CLOCK] = int(time.time())
