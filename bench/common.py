"""What bench/writes.py and bench/load.py share: the database they point at (the server's
environment: SQLITE_PATH or DATABASE_URL), Django set up for setup and checking, the
benchmark users, and the one login function (a later TOTP step goes here)."""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-load-Wachtwoord-2035"  # noqa: S105 - throw-away benchmark users only
LOGIN_URL = "/inloggen/"
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

    from regions.models import RoleAssignment

    User = get_user_model()
    hashed = make_password(PASSWORD)  # once: hashing 50 times would take the whole setup
    names = []
    for n in range(1, count + 1):
        name = f"{prefix}-{n:02d}"
        user, made = User.objects.get_or_create(username=name, defaults={"password": hashed})
        if made:
            RoleAssignment.objects.grant_directly(user=user, role=role, **scope)
        names.append(name)
    return names


def csrf_token(html):
    match = CSRF.search(html)
    return match.group(1) if match else ""


def login(session, host, username, password=PASSWORD):
    """Sign in through the login form like a browser (requests.Session or locust client).
    Two-factor login will add its TOTP step here. True when signed in."""
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
    return response.status_code == 302


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
