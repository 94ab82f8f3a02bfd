"""What bench/writes.py and bench/load.py share: the database they point at (the server's
environment: SQLITE_PATH or DATABASE_URL), Django set up for setup and checking, the
benchmark users (each with a TOTP app of a known key: coordinators need the second step
outside demo mode), and the one login function, which does both steps like a browser."""

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-load-Wachtwoord-2035"  # noqa: S105 - throw-away benchmark users only
LOGIN_URL = "/inloggen/"
VERIFY_URL = "/account/tweestapsverificatie/controleren/"
# The benchmark users' authenticator key (hex, as django-otp stores it): throw-away users only.
TOTP_KEY = "3132333435363738393031323334353637383930"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def django_setup():
    """Django with the same database as the server under test (no request handling)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    import django

    django.setup()


def benchmark_users(role, count, prefix, **scope):
    """`count` users named prefix-01.. with `role` in `scope`, made once (password PASSWORD)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from regions.models import RoleAssignment

    User = get_user_model()
    hashed = make_password(PASSWORD)  # once: hashing 50 times would take the whole setup
    names = []
    for n in range(1, count + 1):
        name = f"{prefix}-{n:02d}"
        user, made = User.objects.get_or_create(username=name, defaults={"password": hashed})
        if made:
            RoleAssignment.objects.grant_directly(user=user, role=role, **scope)
        TOTPDevice.objects.get_or_create(
            user=user, defaults={"name": "bench", "key": TOTP_KEY, "confirmed": True}
        )
        names.append(name)
    return names


def csrf_token(html):
    match = CSRF.search(html)
    return match.group(1) if match else ""


def login(session, host, username, password=PASSWORD):
    """Sign in through the login form like a browser (requests.Session or locust client):
    the password, then the code of the user's authenticator app. True when signed in."""
    page = session.get(f"{host}{LOGIN_URL}")
    response = session.post(
        f"{host}{LOGIN_URL}",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": csrf_token(page.text),
        },
        headers={"Referer": f"{host}{LOGIN_URL}"},
        allow_redirects=False,
    )
    if response.status_code != 302:
        return False
    for _attempt in range(2):
        page = session.get(f"{host}{VERIFY_URL}", allow_redirects=False)
        if page.status_code == 302:  # no second step for this user (demo mode)
            return True
        response = session.post(
            f"{host}{VERIFY_URL}",
            data={"token": totp_now(), "csrfmiddlewaretoken": csrf_token(page.text)},
            headers={"Referer": f"{host}{VERIFY_URL}"},
            allow_redirects=False,
        )
        if response.status_code == 302:
            return True
        # A code works once per 30 s step (an earlier run's login used it): the next one.
        time.sleep(30 - time.time() % 30 + 1)
    return False


def totp_now():
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(TOTP_KEY)):06d}"


def throwaway_django():
    """Django for an in-process benchmark (imports, pages, plan): DEBUG settings, the test
    client's host, and a new SQLite database in a temporary folder unless SQLITE_PATH or
    DATABASE_URL names one."""
    import tempfile

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SQLITE_PATH", str(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def trivial(request):
    """The view every page is measured against: behind the same middleware and login as
    every page, rendering nothing (bench/pages.py, bench/plan.py, bench/server.py)."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse

    return login_required(lambda request: HttpResponse("ok"))(request)


def paired(client, url, runs):
    """Medians (ms) of url and of the trivial view at /bench-trivial/, requested in turns,
    and the queries of the page's last run."""
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page, base = [], []
    for _ in range(runs):
        start = time.perf_counter()
        client.get("/bench-trivial/")
        base.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            page.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(page) * 1000, statistics.median(base) * 1000, len(queries)
