"""Settings for `make run`: the demo on http://127.0.0.1:8000 behaves like production
(DEBUG off, so a 404 or 500 shows the app's own Dutch page, not Django's English debug
page) but over plain http, with a fixed local key and files served from static/.
Never use these settings on a server: docs/deploy.md describes production."""

import os

# Even with DEBUG=1 in the shell: the demo shows what a user will see.
os.environ["DEBUG"] = "0"
for name, value in {
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECRET_KEY": "demo-only-key-for-make-run-never-in-production-0123456789abcdefghij",
    # http://127.0.0.1 has no TLS: no redirect to https, cookies over http, no HSTS.
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
}.items():
    os.environ.setdefault(name, value)

from config.settings import *  # noqa: E402, F403
from config.settings import STORAGES  # noqa: E402

# Serve static/ as it is (no collectstatic step), through WhiteNoise.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# The demo users (coordinator, begeleider, ... password "demo") log in without 2FA.
OTP_DEMO_EXEMPT = True
