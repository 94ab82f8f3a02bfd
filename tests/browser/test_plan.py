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


def _open_introduction(page, live_server, demo):
    page.goto(f"{live_server.url}/regios/{demo.pk}/plan/")
    page.get_by_role("link", name="Inleiding bewerken").nth(2).click()  # pupils (3rd section)
    field = page.locator("#tekst-pupils-inleiding textarea")
    expect(field).to_be_focused()
    return field


def test_a_stale_inline_save_shows_the_conflict_and_the_current_text(
    browser, live_server, demo, login
):
    """htmx 2 swaps no 4xx by default; the 409 with the conflict must reach the page."""
    pages = []
    for _ in range(2):
        page = browser.new_context().new_page()
        login(page, "coordinator")
        pages.append(page)
    first, second = pages
    first_field = _open_introduction(first, live_server, demo)
    second_field = _open_introduction(second, live_server, demo)

    first_field.fill("Tekst van collega A")
    first.locator("#tekst-pupils-inleiding button[type=submit]").click()
    expect(first.locator("#tekst-pupils-inleiding [role=status]")).to_contain_text("opgeslagen")

    second_field.fill("Tekst van collega B")
    with second.expect_response("**/plan/tekst/pupils/inleiding/") as answer:
        second.locator("#tekst-pupils-inleiding button[type=submit]").click()
    assert answer.value.status == 409
    alert = second.locator("#tekst-pupils-inleiding [role=alert]")
    expect(alert).to_contain_text("Iemand anders heeft dit intussen gewijzigd.")
    expect(alert.locator("blockquote")).to_have_text("Tekst van collega A")
    expect(second.locator("#tekst-pupils-inleiding textarea")).to_have_value("Tekst van collega B")
    assert PlanText.objects.get(region=demo, section="pupils").intro == "Tekst van collega A"
    assert_accessible(second)
    for page in pages:
        page.context.close()


def test_a_failed_inline_save_says_nothing_was_saved(page, live_server, demo, login):
    """A 500 (or no connection) swaps nothing; the page's status region says so."""
    login(page, "coordinator")
    field = _open_introduction(page, live_server, demo)
    page.route(
        "**/plan/tekst/pupils/inleiding/",
        lambda route: route.fulfill(status=500, body="Server Error", content_type="text/html"),
    )
    field.fill("Gaat verloren")
    page.locator("#tekst-pupils-inleiding button[type=submit]").click()
    expect(page.locator("#htmx-status")).to_have_text(
        "Er ging iets mis; er is niets opgeslagen. Probeer het opnieuw."
    )
    expect(page.locator("#htmx-status")).to_have_attribute("role", "status")
    expect(field).to_have_value("Gaat verloren")  # the form stays, with what was typed
    assert_accessible(page)

    page.unroute("**/plan/tekst/pupils/inleiding/")
    page.route(
        "**/plan/tekst/pupils/inleiding/",
        lambda route: route.abort("connectionrefused"),
    )
    page.evaluate("document.getElementById('htmx-status').textContent = ''")
    page.locator("#tekst-pupils-inleiding button[type=submit]").click()
    expect(page.locator("#htmx-status")).to_contain_text("er is niets opgeslagen")
