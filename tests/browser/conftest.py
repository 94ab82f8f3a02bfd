"""Browser tests: Playwright drives Debian's chromium (no browser download).

Skipped, with the reason, when /usr/bin/chromium is missing; `make test` installs it
when it runs as root.

Live-server tests need a transactional database; mark them with
`pytest.mark.django_db(transaction=True, serialized_rollback=True)` (see BROWSER below)
so the data that migrations load (levels, institutions, toolkit content) survives the
flush between tests.
"""

import os
from pathlib import Path

import pytest

BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} ontbreekt: browsertests overgeslagen")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def pupils_demo(fast_passwords):
    """The regions' and the learners' demo data (users log in with "demo")."""
    from learners import demo as learners_demo
    from regions import demo as regions_demo

    context = regions_demo.seed()
    context.update(learners_demo.seed(context))
    return context


@pytest.fixture
def login(live_server):
    """Log in through the real login form, as a person would."""

    def _login(page, username, password="demo"):
        page.goto(f"{live_server.url}/inloggen/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login


def assert_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
