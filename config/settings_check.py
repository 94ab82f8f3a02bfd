"""Settings for checks that need no secrets (makemigrations --check in `make test`)."""

import os

os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: E402, F403
