import pytest
from playwright.sync_api import expect

from initiatives.models import Initiative
from regions import demo as regions_demo
from tests.browser.conftest import BROWSER, assert_accessible

pytestmark = BROWSER

EXAMPLE = "viertaal-college-den-haag"  # versnelde doorstroom


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return regions_demo.seed()


def test_coordinator_creates_an_initiative_from_an_example(page, live_server, demo, login):
    region = demo["region"]
    login(page, "coordinator")
    page.goto(f"{live_server.url}/regios/{region.pk}/initiatieven/nieuw/?voorbeeld={EXAMPLE}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nieuw initiatief")
    expect(page.locator("#id_type option:checked")).to_have_text("versnelde doorstroom")
    assert_accessible(page)
    page.fill("#id_name", "Sneller naar Het Baken")
    page.fill("#id_pupils_typed", "5")
    page.fill("#id_viability_minimum", "8")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sneller naar Het Baken")
    expect(page.locator("#leerlingen")).to_contain_text("Onder het minimum")
    assert_accessible(page)

    # A partner, added in place (htmx)
    page.select_option("#id_party", label="Het Baken College")
    page.select_option("#id_role", "partnerschool")
    with page.expect_response("**/partners/nieuw/") as answer:
        page.get_by_role("button", name="Partner toevoegen").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#partners table")).to_contain_text("Het Baken College")
    expect(page.locator("#live-status")).to_have_text("Partner toegevoegd: Het Baken College.")
    # A failed save replaces the success message.
    page.get_by_role("button", name="Status wijzigen").click()
    expect(page.locator("#live-status")).to_have_text(
        "Niet opgeslagen: zie de meldingen bij het formulier."
    )

    # Two status moves, each with its reason
    for status, label, reason in [
        ("verkenning", "verkenning", "Eerste gesprek met de schoolleiding"),
        ("voorbereiding", "in voorbereiding", "Bestuur stemt in"),
    ]:
        page.select_option("#id_to_status", status)
        page.fill("#id_reason", reason)
        page.get_by_role("button", name="Status wijzigen").click()
        expect(page.locator("#current-status")).to_have_text(label)
        expect(page.locator("#header-status")).to_have_text(label)  # the page's header too
        expect(page.locator("#status table")).to_contain_text(reason)
    assert_accessible(page)

    initiative = Initiative.objects.get(name="Sneller naar Het Baken")
    assert initiative.status == "voorbereiding"
    assert initiative.modelled_on.slug == EXAMPLE
    assert initiative.status_changes.count() == 3  # vastgelegd, verkenning, voorbereiding
    assert initiative.partners.get().school.name == "Het Baken College"
