"""Sessions: 30 minutes idle and the session ends, but reading a page does not write the
session row (config.middleware.SlidingSessionMiddleware)."""

import time
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.middleware import SlidingSessionMiddleware


def session_writes(queries):
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
    ]


def stored_session(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_a_page_view_does_not_write_the_session(client, alice):
    client.force_login(alice)
    home = reverse("plans:home")
    # Not the first page after the login either: the login started the idle clock.
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(home).status_code == 200
        assert session_writes(queries.captured_queries) == []


def test_activity_after_the_refresh_interval_moves_the_expiry(client, alice, settings):
    client.force_login(alice)
    client.get(reverse("plans:home"))
    session = client.session
    session[SlidingSessionMiddleware.KEY] = int(time.time()) - settings.SESSION_REFRESH_INTERVAL
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=stored_session(client).expire_date - timedelta(minutes=10)
    )
    before = stored_session(client).expire_date

    client.get(reverse("plans:home"))

    after = stored_session(client).expire_date
    assert after - before >= timedelta(minutes=10)


def test_an_idle_session_expires_after_the_cookie_age(client, alice, settings):
    from django.utils import timezone

    client.force_login(alice)
    home = reverse("plans:home")
    assert client.get(home).status_code == 200
    expires = stored_session(client).expire_date
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert timezone.now() + age - expires < timedelta(seconds=settings.SESSION_REFRESH_INTERVAL)
    # SESSION_COOKIE_AGE of idleness: the session's expiry is now in the past.
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=expires - age)
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_cache_is_chosen_by_cache_url():
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    from config.settings import caches_from

    assert caches_from("")["BACKEND"].endswith("LocMemCache")
    assert caches_from("db")["BACKEND"].endswith("DatabaseCache")
    assert caches_from("redis://cache.internal:6379/0")["LOCATION"] == (
        "redis://cache.internal:6379/0"
    )
    with pytest.raises(ImproperlyConfigured):
        caches_from("memcache://nope")


def test_the_database_cache_works_after_createcachetable(settings, db):
    from django.core.cache import caches
    from django.core.management import call_command

    from config.settings import caches_from

    settings.CACHES = {"default": caches_from("db")}
    call_command("createcachetable")
    caches["default"].set("shared", 1)
    assert caches["default"].get("shared") == 1


def test_a_refresh_the_busy_database_refuses_costs_the_refresh_not_the_page(
    client, alice, settings, monkeypatch
):
    """SQLite during a large import: the session row cannot be written for a while. A
    person who only reads a page gets the page, not Django's 400 "session interrupted"."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.backends.db import SessionStore

    client.force_login(alice)
    session = client.session
    session[SlidingSessionMiddleware.KEY] = int(time.time()) - settings.SESSION_REFRESH_INTERVAL
    session.save()

    def locked(self, must_create=False):
        raise UpdateError

    monkeypatch.setattr(SessionStore, "save", locked)
    assert client.get(reverse("plans:home")).status_code == 200
