import pytest
from playwright.sync_api import expect

from regions.demo import seed as seed_regions
from tests.browser.conftest import BROWSER, assert_accessible
from toolkit.demo import seed as seed_toolkit
from toolkit.models import RegionItemProgress, ToolkitItem

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
    row = page.locator(f"#item-{SLUG}")
    row.locator(f"#id_item-{item.pk}-status").select_option("in_progress")
    row.locator(f"#id_item-{item.pk}-note").fill("Filmavond met partnerscholen")
    with page.expect_response(f"**/toolkit/{SLUG}/") as answer:
        row.get_by_role("button", name="Opslaan").click()
    assert answer.value.request.headers.get("hx-request") == "true"  # no page reload
    expect(page.locator(f"#item-{SLUG} .tk-saved")).to_have_text("Opgeslagen.")
    expect(page.locator(f"#item-{SLUG} .tk-history")).to_contain_text("niet gestart → bezig")
    assert_accessible(page)

    page.reload()
    expect(page.locator(f"#id_item-{item.pk}-status")).to_have_value("in_progress")
    expect(page.locator(f"#id_item-{item.pk}-note")).to_have_value("Filmavond met partnerscholen")
    progress = RegionItemProgress.objects.get(region=region, item=item)
    assert progress.status == "in_progress"


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
