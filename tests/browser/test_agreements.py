"""In the browser: the coordinator records a second version and compares it; every
agreement page passes axe and reflows at 390 px, where the two versions stack."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from initiatives.models import Agreement
from tests.browser.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Agreement.objects.get(status=Agreement.Status.SIGNED, subject="vervoer")


# Elements wider than their box (not a scrolling table): what pushes the page sideways.
TOO_WIDE = (
    "[...document.querySelectorAll('main *')]"
    ".filter(e => e.scrollWidth > e.clientWidth + 2 && getComputedStyle(e).overflowX !== 'auto')"
    ".map(e => e.tagName + '.' + e.className)"
)


def width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_coordinator_records_and_compares_a_version(page, live_server, login, demo):
    login(page, "coordinator")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}{reverse('initiatives:agreement_list')}")
    assert_accessible(page)
    page.click(f"text={demo.title}")
    page.click("text=Nieuwe versie vastleggen")
    page.fill("#id_text", "De gemeente Havenstad regelt aangepast vervoer voor alle leerlingen.")
    page.click("form.stacked button[type=submit]")
    assert page.locator("text=Versie 2 vastgelegd.").is_visible()
    assert_accessible(page)
    page.click("text=Laatste twee versies vergelijken")
    assert page.locator("del").first.is_visible() and page.locator("ins").first.is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert width(page) <= 390
    old, new = page.locator(".compare__side").all()[:2]
    assert new.bounding_box()["y"] >= old.bounding_box()["y"] + old.bounding_box()["height"]
    for path in (
        reverse("initiatives:agreement_list"),
        reverse("initiatives:agreement_detail", args=[demo.pk]),
        reverse("initiatives:agreement_version_create", args=[demo.pk]),
        reverse("initiatives:agreement_party_add", args=[demo.pk]),
    ):
        page.goto(f"{live_server.url}{path}")
        assert width(page) <= 390, (path, page.evaluate(TOO_WIDE))
        assert_accessible(page)
