import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import (  # noqa: E402
    RegionFactory,
    coordinator_of,
    leader_of,
    manager_of,
    school_in,
)


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is proven in test_security; elsewhere a fast hasher keeps the suite quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached pages (regions/data_version.py) of an
    earlier test's rolled-back data must not be served to this one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    """Background tasks run at once inside the test (the worker is proven in tests/plans)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def run_worker(settings, monkeypatch):
    """Run a real task worker (django-tasks-db's db_worker) over what is queued, then stop.

    The worker checks its connection between tasks and closes one that is inside a
    transaction; a test is one, so that check is left out here (PostgreSQL would lose the
    test's connection)."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", batch=True, startup_delay=False, reload=False)


@pytest.fixture(autouse=True)
def _dutch():
    """Every test starts in Dutch, whatever language an earlier request activated."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")


@pytest.fixture(autouse=True)
def _scopes_disabled(request):
    """Tests build and inspect data outside any request, as a national job would.

    Requests through the test client (and the live server, in its own thread) still run
    inside the user's scope set by learners.middleware. Tests that prove the net itself
    are marked `scoped` and get no fixture.
    """
    from django_scopes import scopes_disabled

    if request.node.get_closest_marker("scoped"):
        yield
        return
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _two_factor_off_unless_marked(request, monkeypatch):
    """The suite logs users in with force_login; 2FA would send each to set-up first. The
    2FA check is on only in tests marked `two_factor` (tests/test_two_factor.py)."""
    if request.node.get_closest_marker("two_factor"):
        return
    from regions import two_factor

    monkeypatch.setattr(two_factor, "two_factor_step", lambda user: None)


@pytest.fixture
def region(db):
    return RegionFactory()


@pytest.fixture
def other_region(db):
    return RegionFactory()


@pytest.fixture
def school(region):
    return school_in(region)


@pytest.fixture
def alice(region):
    """May: coordinator of the region."""
    return coordinator_of(region)


@pytest.fixture
def bob(region):
    """May only read: manager of the region's institution."""
    return manager_of(region.institution)


@pytest.fixture
def charlie(other_region):
    """Outside the scope: coordinator of another region."""
    return coordinator_of(other_region)


@pytest.fixture
def leader(school):
    return leader_of(school)
