"""axe on Django admin change pages, as the functional admin (beheerder)."""

import pytest

from regions.demo import seed
from regions.models import RoleAssignment
from tests.browser.conftest import BROWSER, assert_accessible
from toolkit.models import ToolkitItem

pytestmark = BROWSER


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return seed()


def test_admin_change_pages_are_accessible_and_load_without_csp_errors(
    page, live_server, demo, login
):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, "beheerder")
    coordinator = demo["users"]["coordinator"]
    role = RoleAssignment.objects.filter(user=coordinator).first()
    item = ToolkitItem.objects.get(slug="ken-de-definitie-van-inclusief-onderwijs")
    school = demo["schools"]["99AB"]
    for path in (
        f"auth/user/{coordinator.pk}/change/",
        f"regions/roleassignment/{role.pk}/change/",
        f"regions/school/{school.pk}/change/",
        f"toolkit/toolkititem/{item.pk}/change/",
    ):
        page.goto(f"{live_server.url}/beheer/{path}")
        assert page.locator("#content h1").count() == 1, path
        assert_accessible(page)
    assert not [e for e in errors if "Content Security Policy" in e], errors
