import pytest
from playwright.sync_api import expect

from regions.demo import seed as seed_regions
from tests.browser.conftest import BROWSER, assert_accessible
from toolkit.demo import seed as seed_toolkit
from toolkit.models import RegionAction, RegionItemProgress, ToolkitItem

pytestmark = BROWSER

SLUG = "film-tips"  # not started in the demo


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    context = seed_regions()
    seed_toolkit(context)
    return context


def test_coordinator_changes_a_status_inline(page, live_server, demo, login):
    region = demo["region"]
    item = ToolkitItem.objects.get(slug=SLUG)
    login(page, "coordinator")
    page.goto(f"{live_server.url}/regios/{region.pk}/toolkit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Toolkit")
    assert_accessible(page)
    expect(page.locator("form.tk-progress")).to_have_count(0)  # a table, no forms open
    page.locator(f"#item-{SLUG} a.tk-edit").click()  # the row opens in place
    row = page.locator(f"#item-{SLUG}")
    expect(row.locator(f"#id_item-{item.pk}-status")).to_be_focused()
    row.locator(f"#id_item-{item.pk}-status").select_option("in_progress")
    row.locator(f"#id_item-{item.pk}-note").fill("Filmavond met partnerscholen")
    assert_accessible(page)
    with page.expect_response(f"**/toolkit/{SLUG}/") as answer:
        row.get_by_role("button", name="Opslaan").click()
    assert answer.value.request.headers.get("hx-request") == "true"  # no page reload
    # closed again, focus back on the row, the message in the page's status region
    expect(page.locator(f"#item-{SLUG} form")).to_have_count(0)
    expect(page.locator(f"#item-{SLUG} a.tk-edit")).to_be_focused()
    expect(page.locator(f"#item-{SLUG} .tk-saved")).to_have_text("Opgeslagen.")
    expect(page.locator(f"#item-{SLUG} .utrecht-status-badge")).to_have_text("bezig")
    expect(page.get_by_role("status").filter(has_text="Opgeslagen. Film tips")).to_have_text(
        "Opgeslagen. Film tips: bezig."
    )
    expect(page.locator("#live-status")).to_have_attribute("aria-live", "polite")
    assert_accessible(page)
    page.locator(f"#item-{SLUG} a.tk-edit").click()  # the short history, in the opened row
    expect(page.locator(f"#item-{SLUG} .tk-history")).to_contain_text("niet gestart → bezig")
    # At phone width the opened item (a form, not table data) fits the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    for role, name in (("button", "Opslaan"), ("link", "Sluiten")):
        box = page.locator(f"#item-{SLUG}").get_by_role(role, name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
    page.locator(f"#item-{SLUG}").get_by_role("link", name="Sluiten").click()
    expect(page.locator(f"#item-{SLUG} a.tk-edit")).to_be_focused()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    expect(page.locator(f"#item-{SLUG} td").nth(3)).to_contain_text("Filmavond met partnerscholen")
    progress = RegionItemProgress.objects.get(region=region, item=item)
    assert progress.status == "in_progress"


def press_tab_until(page, selector, limit=400):
    """Tab through the page (as a keyboard user does) until `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus")


def test_keyboard_only_from_login_to_a_saved_status(page, live_server, demo):
    region = demo["region"]
    item = ToolkitItem.objects.get(slug=SLUG)
    page.goto(f"{live_server.url}/inloggen/?next=/regios/{region.pk}/toolkit/")
    press_tab_until(page, "#id_username")
    page.keyboard.type("coordinator")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/regios/{region.pk}/toolkit/")
    press_tab_until(page, f"#item-{SLUG} a.tk-edit")
    page.keyboard.press("Enter")
    status = page.locator(f"#id_item-{item.pk}-status")
    expect(status).to_be_focused()
    status.press("ArrowDown")  # niet gestart -> bezig (a closed select changes with arrows)
    expect(status).to_have_value("in_progress")
    press_tab_until(page, f"#item-{SLUG} button[type=submit]")
    page.keyboard.press("Space")
    expect(page.locator(f"#item-{SLUG} a.tk-edit")).to_be_focused()
    expect(page.locator("#live-status")).to_have_text("Opgeslagen. Film tips: bezig.")
    assert RegionItemProgress.objects.get(region=region, item=item).status == "in_progress"


def test_toolkit_fits_in_a_few_screens(page, live_server, demo, login):
    region = demo["region"]
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, "coordinator")
    heights = {}
    for name, query in (("te doen", ""), ("alle", "?status=")):
        page.goto(f"{live_server.url}/regios/{region.pk}/toolkit/{query}")
        heights[name] = page.evaluate("document.body.scrollHeight")
    assert heights["te doen"] <= heights["alle"] <= 4 * 800, heights  # was about 12,700 px


def test_filters_werkagenda_and_dashboard_are_accessible(page, live_server, demo, login):
    region = demo["region"]
    login(page, "coordinator")
    page.goto(f"{live_server.url}/regios/{region.pk}/toolkit/")
    page.select_option("#id_status", "done")
    expect(page.locator("#results > p").first).to_contain_text("8 van 38 items")
    expect(page).to_have_url(
        f"{live_server.url}/regios/{region.pk}/toolkit/?status=done&chapter=&kind=&line=&owner="
    )
    for path in ("werkagenda", "dashboard"):
        page.goto(f"{live_server.url}/regios/{region.pk}/{path}/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)


def test_manager_reads_without_controls(page, live_server, demo, login):
    region = demo["region"]
    login(page, "manager")
    page.goto(f"{live_server.url}/regios/{region.pk}/toolkit/")
    expect(page.get_by_text("U kunt deze gegevens bekijken, maar niet wijzigen.")).to_be_visible()
    expect(page.locator("form.tk-progress")).to_have_count(0)
    assert_accessible(page)
    page.goto(f"{live_server.url}/regios/{region.pk}/werkagenda/")
    expect(page.get_by_role("button", name="Afronden")).to_have_count(0)
    assert_accessible(page)


def test_school_leader_cannot_reach_the_pages(page, live_server, demo, login):
    region = demo["region"]
    login(page, "schoolleider")
    for path in ("toolkit", "werkagenda", "dashboard"):
        response = page.goto(f"{live_server.url}/regios/{region.pk}/{path}/")
        assert response.status == 404


def test_werkagenda_line_and_action_open_with_the_keyboard(page, live_server, demo, login):
    """A folded line opens in place with the keyboard, focus on its actions' heading; an
    action row opens the same way; each "Sluiten" gives the focus back to the link that
    opened it. axe finds nothing, folded or open, and the page reflows at 390 px."""
    region = demo["region"]
    action = RegionAction.objects.get(region=region, title__startswith="Doorzettingsmacht")
    line = action.line.number
    login(page, "coordinator")
    page.goto(f"{live_server.url}/regios/{region.pk}/werkagenda/")
    part = page.locator(f"#lijn-{line}-acties")
    expect(part.get_by_role("heading", level=3)).to_contain_text("te laat")
    expect(page.locator(f"#actie-{action.pk}")).to_have_count(0)
    assert_accessible(page)
    opener = part.get_by_role("link", name="Acties tonen")
    opener.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#h-lijn-{line}-acties")).to_be_focused()
    row_link = page.locator(f"#actie-{action.pk} a.tk-open")
    row_link.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#t-actie-{action.pk}")).to_be_focused()
    expect(page.locator(f"#actie-{action.pk}")).to_contain_text("Afronden")
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The opened action is text and buttons, not table data: it fits the screen, where the
    # table it sits in scrolls sideways (WCAG 1.4.10).
    opened = page.locator(f"#actie-{action.pk}")
    for role, name in (("button", "Afronden"), ("link", "Sluiten")):
        box = opened.get_by_role(role, name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
    page.locator(f"#actie-{action.pk}").get_by_role("link", name="Sluiten").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#actie-{action.pk} a.tk-open")).to_be_focused()
    part.get_by_role("link", name="Sluiten").last.focus()
    page.keyboard.press("Enter")
    expect(part.get_by_role("link", name="Acties tonen")).to_be_focused()
    expect(page.locator(f"#actie-{action.pk}")).to_have_count(0)
