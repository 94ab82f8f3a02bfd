from playwright.sync_api import expect

from learners import demo as learners_demo
from tests.browser.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


def test_the_header_search_finds_a_pupil_by_code_and_a_school_by_name(
    page, live_server, pupils_demo, login
):
    login(page, "coordinator")
    code = learners_demo.demo_code(10)
    box = page.get_by_label("Zoeken")
    box.fill(code.lower())  # typing, no Enter: htmx answers as you type
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name=code)).to_be_visible()
    expect(page.locator("#search-count")).to_have_text("1 resultaat")
    assert_accessible(page)

    box.fill("Vuurtoren")
    expect(results.get_by_role("link", name="Basisschool De Vuurtoren")).to_be_visible()
    results.get_by_role("link", name="Basisschool De Vuurtoren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("De Vuurtoren")


def test_the_search_works_without_javascript_and_at_390_px(
    browser, live_server, pupils_demo, login
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.get_by_label("Zoeken").fill("Vuurtoren")
    page.get_by_role("button", name="Zoek", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/zoeken/?q=Vuurtoren")
    expect(page.get_by_role("link", name="Basisschool De Vuurtoren")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
