import pytest
from playwright.sync_api import expect

from regions.demo import seed
from tests.browser.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return seed()


def test_login_page_is_accessible_and_logs_in(page, live_server, demo):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/inloggen/?next=/")
    assert_accessible(page)
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "fout-wachtwoord")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("klopt niet")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    expect(page.get_by_role("link", name="Regio Havenstad (demo)").first).to_be_visible()
    assert_accessible(page)


def test_school_list_filters_with_htmx_and_is_accessible(page, live_server, demo, login):
    login(page, "coordinator")
    page.goto(f"{live_server.url}/scholen/")
    expect(page.locator("#results tbody tr")).to_have_count(8)
    assert "Noordkust College" not in page.content()
    assert_accessible(page)
    page.select_option("#id_sector", "po")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Basisschool De Vuurtoren")
    expect(page).to_have_url(f"{live_server.url}/scholen/?q=&sector=po&level=&swv=&partner=")


def test_school_leader_sees_only_own_school(page, live_server, demo, login):
    login(page, "schoolleider")
    page.goto(f"{live_server.url}/scholen/")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Het Baken College")


def test_inline_suitability_edit(page, live_server, demo, login):
    login(page, "coordinator")
    school = demo["schools"]["99AB"]
    page.goto(f"{live_server.url}/scholen/{school.pk}/")
    page.get_by_role("link", name="Geschiktheid bewerken").click()
    page.select_option("#id_low_stimulus_room", "goed")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#suitability")).to_contain_text("goed")
    expect(page.get_by_role("link", name="Geschiktheid bewerken")).to_be_visible()
    page.reload()
    school.refresh_from_db()
    assert school.low_stimulus_room == "goed"


def test_pages_reflow_on_a_phone_without_sideways_scrolling(page, live_server, demo, login):
    """WCAG 1.4.10: at 390 px only wide tables scroll, inside their own box."""
    page.set_viewport_size({"width": 390, "height": 800})
    login(page, "coordinator")
    region = demo["region"]
    for path in ["/", "/scholen/", f"/regios/{region.pk}/", "/samenwerkingsverbanden/"]:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
