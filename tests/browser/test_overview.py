"""The manager's institution overview in the browser: axe at 1280 and 390 px, no sideways
scroll on a phone, the latest frozen plan one click away."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from plans.models import DocumentStatus, PlanDocument
from regions.models import Region
from tests.browser.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


@pytest.fixture
def demo_frozen(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        region = Region.objects.get(name__icontains="Havenstad")
        return PlanDocument.objects.create(
            region=region, number=1, snapshot={}, status=DocumentStatus.READY
        )


@pytest.mark.parametrize("width", [1280, 390])
def test_manager_overview_reflows_and_passes_axe(page, live_server, login, demo_frozen, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "manager")
    page.click(f"header a[href='{reverse('plans:institution_overview')}']")
    page.wait_for_url(f"{live_server.url}{reverse('plans:institution_overview')}")
    assert page.locator("h1").count() == 1
    link = reverse("plans:plan_download", args=[demo_frozen.region_id, demo_frozen.pk])
    assert page.locator(f"a[href='{link}']").count() == 1
    assert page.locator("svg.chart").count() >= 2
    assert_accessible(page)
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
