"""The app as gunicorn serves it, plus one trivial view to measure against:

    .venv/bin/gunicorn bench.server:application -b 127.0.0.1:PORT -w 2

/bench-trivial/ goes through the same middleware (session, login, scope) as every page
but renders nothing and asks the database nothing beyond the session and the user."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()  # Django set up first: the imports below need it

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from django.conf import settings  # noqa: E402
from django.urls import include, path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import trivial  # noqa: E402 (bench/ on the path, as for the scripts)

urlpatterns = [path("bench-trivial/", trivial), path("", include("config.urls"))]
settings.ROOT_URLCONF = __name__
