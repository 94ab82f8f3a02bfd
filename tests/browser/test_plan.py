import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from plans.models import PlanText
from regions.models import Region
from tests.browser.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


@pytest.fixture
def demo(fast_passwords):
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Region.objects.get(name="Regio Havenstad (demo)")


def test_coordinator_edits_an_introduction_in_place(page, live_server, demo, login):
    login(page, "coordinator")
    page.goto(f"{live_server.url}/regios/{demo.pk}/plan/")
    assert_accessible(page)
    page.get_by_role("link", name="Inleiding bewerken").nth(2).click()  # pupils (3rd section)
    field = page.locator("#tekst-pupils-inleiding textarea")
    expect(field).to_be_focused()
    field.fill("Nieuwe inleiding\n- eerste punt")
    page.locator("#tekst-pupils-inleiding button[type=submit]").click()
    expect(page.locator("#tekst-pupils-inleiding [role=status]")).to_contain_text("opgeslagen")
    expect(page.locator("#tekst-pupils-inleiding li")).to_have_text("eerste punt")
    expect(page.locator("#tekst-pupils-inleiding a")).to_be_focused()
    assert PlanText.objects.get(region=demo, section="pupils").intro.startswith("Nieuwe inleiding")
    assert_accessible(page)
