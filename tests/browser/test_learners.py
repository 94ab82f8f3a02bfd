from playwright.sync_api import expect

from learners import demo as learners_demo
from learners.models import PlacementCase, Pupil
from tests.browser.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


def step(page, label):
    page.get_by_role("button", name=f"{label}: vastleggen").click()


def test_coordinator_walks_a_placement_through_its_steps(page, live_server, pupils_demo, login):
    pupil = Pupil.objects.get(code=learners_demo.demo_code(10))
    assert not pupil.placements.exists()
    login(page, "coordinator")
    page.goto(f"{live_server.url}/leerlingen/{pupil.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Leerling {pupil.code}")
    assert page.locator("body").get_attribute("hx-history") == "false"
    assert_accessible(page)

    page.get_by_role("link", name="Plaatsing starten").click()
    page.select_option("#id_from_location", label="vso De Kade (fictief) (Havenstad)")
    page.select_option("#id_reason", "sluiting")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plaatsing van leerling")
    assert_accessible(page)

    step(page, "Opties verkend")
    page.select_option("#id_school_identified-to_school", label="Lyceum Aan de Haven")
    step(page, "School gevonden")
    page.select_option("#id_tlv-tlv_needed", "ja")
    page.select_option("#id_tlv-tlv_payer", "swv")
    step(page, "TLV geregeld")
    step(page, "Ontvangende school klaar")
    expect(page.locator(".lead")).to_contain_text("TLV, vervoer of school wordt geregeld")

    # Too early: transport is not settled yet, so there is no button, only the reason.
    expect(page.locator("#blokkade-enrolled")).to_contain_text("Nog niet geregeld: het vervoer")
    expect(page.get_by_role("button", name="Ingeschreven: vastleggen")).to_have_count(0)
    assert_accessible(page)
    case = PlacementCase.objects.get(pupil=pupil)
    assert case.enrolled_on is None

    page.select_option("#id_transport-transport_needed", "ja")
    page.select_option("#id_transport-transport_gemeente", label="Havenstad")
    page.select_option("#id_transport-transport_decision", "toegekend")
    step(page, "Vervoer geregeld")
    expect(page.locator(".lead")).to_contain_text("klaar om in te schrijven")
    step(page, "Ingeschreven")
    expect(page.locator(".messages")).to_contain_text("Stap opgeslagen")
    step(page, "Eerste evaluatie gedaan")
    expect(page.locator(".lead")).to_contain_text("eerste evaluatie gedaan")
    case.refresh_from_db()
    pupil.refresh_from_db()
    assert case.status == "geevalueerd"
    assert pupil.current_school.name == "Lyceum Aan de Haven"
    assert pupil.checkins.filter(done_on__isnull=True).count() == 3


def test_begeleider_records_a_checkin(page, live_server, pupils_demo, login):
    checkin = (
        Pupil.objects.get(code=learners_demo.demo_code(14))
        .checkins.filter(done_on__isnull=True)
        .order_by("due_date")
        .first()
    )
    login(page, "begeleider")
    page.goto(f"{live_server.url}/leerlingen/{checkin.pupil.code}/")
    assert_accessible(page)
    page.get_by_role("link", name="Vastleggen").first.click()
    page.fill("#id_done_on", "2026-01-15")
    page.fill("#id_results", "Leest beter voor in de klas.")
    page.select_option("#id_wellbeing", "goed")
    page.select_option("#id_as_planned", "true")
    page.select_option("#id_support_needed", "true")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Leerling {checkin.pupil.code}")
    checkin.refresh_from_db()
    assert checkin.done_on.isoformat() == "2026-01-15"
    assert checkin.recorded_by.username == "begeleider"


def test_schoolleider_sees_only_pseudonymised_pupils(page, live_server, pupils_demo, login):
    login(page, "schoolleider")
    page.get_by_role("link", name="Leerlingen").click()
    rows = page.locator("#results tbody tr")
    at_school = Pupil.objects.filter(current_school__brin="99AA")
    expect(rows).to_have_count(at_school.count())
    text = page.content()
    for pupil in at_school:
        assert pupil.code in text
        assert pupil.last_name not in text
    assert_accessible(page)
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("note")).to_contain_text("Gepseudonimiseerd")
    assert "Diagnose" not in page.content()
    assert_accessible(page)


def test_deadlines_and_figures_pages_are_accessible(page, live_server, pupils_demo, login):
    login(page, "coordinator")
    page.get_by_role("link", name="Deadlines", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadlines")
    expect(page.locator("#h-overdue")).to_contain_text("Te laat")
    assert_accessible(page)
    page.get_by_role("link", name="Leerlingen", exact=True).click()
    page.select_option("#id_status", "regelen")
    expect(page.locator("#results")).to_contain_text("TLV, vervoer of school wordt geregeld")
    assert_accessible(page)
    page.context.clear_cookies()
    login(page, "manager")
    page.get_by_role("link", name="Cijfers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cijfers")
    expect(page.locator("main")).to_contain_text("<5")
    assert_accessible(page)


def test_a_failed_submit_focuses_the_error_summary_with_links_to_the_fields(
    page, live_server, pupils_demo, login
):
    login(page, "coordinator")
    region = Pupil.objects.get(code=learners_demo.demo_code(10)).region
    page.goto(f"{live_server.url}/regios/{region.pk}/leerlingen/nieuw/")
    page.get_by_role("button", name="Opslaan").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("er is niets opgeslagen")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.tagName") in {"INPUT", "SELECT", "TEXTAREA"}
    assert_accessible(page)
