"""Every main page, for every role: reflows at 390 px (no sideways scroll) and passes axe."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from learners.models import PlacementCase
from regions.models import Region, Samenwerkingsverband, School
from tests.browser.conftest import BROWSER, assert_accessible

pytestmark = BROWSER

ROLES = ["coordinator", "manager", "schoolleider", "beheerder"]


@pytest.fixture
def demo_pages(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        region = Region.objects.get(name__icontains="Havenstad")
        school = School.objects.filter(name="Het Baken College").first() or School.objects.first()
        swv = Samenwerkingsverband.objects.first()
        placement = PlacementCase.objects.filter(pupil__region=region).first()
        pupil = placement.pupil
    pages = [
        reverse("plans:home"),
        reverse("regions:region_list"),
        reverse("regions:region_detail", args=[region.pk]),
        reverse("regions:school_list"),
        reverse("regions:school_detail", args=[school.pk]),
        reverse("regions:swv_list"),
        reverse("regions:swv_detail", args=[swv.pk]),
        reverse("regions:gemeente_list"),
        reverse("regions:duo_import"),
        reverse("learners:pupil_list"),
        reverse("learners:pupil_detail", args=[pupil.code]),
        reverse("learners:placement_detail", args=[pupil.code, placement.pk]),
        reverse("learners:deadlines"),
        reverse("learners:figures"),
        reverse("learners:pupil_import"),
        reverse("learners:access_log", args=[region.pk]),
        reverse("toolkit:toolkit", args=[region.pk]),
        reverse("toolkit:werkagenda", args=[region.pk]),
        reverse("toolkit:dashboard", args=[region.pk]),
        reverse("plans:search") + "?q=Baken",
    ]
    return pages, school


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_reflows_at_390_and_passes_axe(page, live_server, login, demo_pages, role):
    pages, school = demo_pages
    if role == "beheerder":
        pages = [*pages, "/beheer/", f"/beheer/regions/school/{school.pk}/change/"]
    login(page, role)
    seen = 0
    for path in pages:
        page.set_viewport_size({"width": 1280, "height": 800})
        response = page.goto(f"{live_server.url}{path}")
        if response.status in (403, 404):
            continue  # not this role's page
        assert response.status == 200, (role, path, response.status)
        seen += 1
        assert overflow(page) <= 1280, (role, path, "1280", overflow(page))
        assert_accessible(page)
        page.set_viewport_size({"width": 390, "height": 844})
        assert overflow(page) <= 390, (role, path, overflow(page))
    assert seen >= 3, role


def test_english_pages_do_not_scroll_sideways_at_1280(page, live_server, login, demo_pages):
    """The footer's language button used to push English pages wider than the window."""
    pages, _school = demo_pages
    login(page, "coordinator")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.set_viewport_size({"width": 1280, "height": 800})
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == "en"
        assert overflow(page) <= 1280, (path, overflow(page))
        button = page.locator(".language-form button").bounding_box()
        assert button["x"] + button["width"] <= 1280, path
