import pytest
from playwright.sync_api import expect

from checklists.demo import seed as seed_checklists
from checklists.models import Answer, Assignment
from regions.demo import seed as seed_regions
from tests.browser.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    context = seed_regions()
    return seed_checklists(context)


def test_school_leader_answers_leaves_comes_back_and_submits(page, live_server, demo, login):
    # The example template of the tests has a question of every type.
    from regions.models import School
    from tests.checklists.factories import assignment_for, example_version

    school = School.objects.filter(brin="99AA").first()
    assignment = assignment_for(school, demo["region"], version=example_version())
    url = f"{live_server.url}/checklists/{assignment.pk}/"
    login(page, "schoolleider")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voorbeeldchecklist")
    assert_accessible(page)

    # A choice saves as it is given, without a page load; the focus stays on it.
    question = page.locator("#vraag-visie-1")
    with page.expect_response(f"**/checklists/{assignment.pk}/vragen/visie-1/") as answer:
        question.get_by_label("nee").check()
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(question.locator(".tk-saved")).to_have_text("Opgeslagen")
    expect(page.locator("#vraag-visie-1").get_by_label("nee")).to_be_focused()
    expect(page.locator("#live-status")).to_contain_text("Opgeslagen: Heeft de school")

    # A text saves when the field is left; a bad number gets its message in place.
    page.fill("#id_q-ib-naam-value", "M. de Vries")
    with page.expect_response("**/vragen/ib-naam/"):
        page.locator("#id_q-ib-naam-value").press("Tab")
    expect(page.locator("#vraag-ib-naam .tk-saved")).to_have_text("Opgeslagen")
    # Tab moved on to the question's next control; the swap keeps the focus there.
    expect(page.locator("#meer-ib-naam")).to_be_focused()
    page.fill("#id_q-klasgrootte-value", "veertig")
    with page.expect_response("**/vragen/klasgrootte/"):
        page.locator("#id_q-klasgrootte-value").press("Tab")
    expect(page.locator("#vraag-klasgrootte [role=alert]")).to_contain_text("Vul een getal in")
    page.fill("#id_q-klasgrootte-value", "24")
    with page.expect_response("**/vragen/klasgrootte/"):
        page.locator("#id_q-klasgrootte-value").press("Tab")
    expect(page.locator("#vraag-klasgrootte .tk-saved")).to_have_text("Opgeslagen")
    expect(page.locator("#voortgang-gebouw")).to_contain_text("1 van 5 beantwoord")
    assert_accessible(page)

    # Leave and come back: every answer is there.
    page.goto(f"{live_server.url}/")
    page.goto(url)
    expect(page.locator("#vraag-visie-1").get_by_label("nee")).to_be_checked()
    expect(page.locator("#id_q-ib-naam-value")).to_have_value("M. de Vries")
    expect(page.locator("#id_q-klasgrootte-value")).to_have_value("24")

    page.get_by_role("link", name="Indienen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("indienen")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, indienen").click()
    expect(page.get_by_text("De checklist is ingediend.")).to_be_visible()
    expect(page.locator("main input")).to_have_count(0)  # read-only now
    assert_accessible(page)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
    answers = dict(
        Answer.objects.filter(assignment=assignment).values_list("question_key", "value")
    )
    assert answers["visie-1"] == "nee" and answers["ib-naam"] == "M. de Vries"
    assert answers["klasgrootte"] == "24"


def test_coordinator_reviews_sees_the_roll_up_and_makes_a_werkagenda_action(
    page, live_server, demo, login
):
    from checklists import demo as checklists_demo
    from toolkit.models import RegionAction

    submitted = Assignment.objects.get(
        school__brin="99AB", status=Assignment.Status.SUBMITTED, message=checklists_demo.MESSAGE
    )
    first_key = next(iter(submitted.template_version.questions))
    login(page, "coordinator")
    page.goto(f"{live_server.url}/checklists/{submitted.pk}/")
    assert_accessible(page)

    # A remark on the first question, saved in place.
    answer = page.locator(f"#vraag-{first_key}")
    answer.locator("summary").click()
    answer.get_by_label("Opmerking voor de school").fill("Mooi; bespreek dit met het team.")
    with page.expect_response(f"**/checklists/{submitted.pk}/opmerkingen/{first_key}/"):
        answer.get_by_role("button", name="Opmerking opslaan").click()
    expect(page.locator(f"#vraag-{first_key} .cl-remark")).to_contain_text("bespreek dit")
    # The focus stays at the question (htmx swapped the whole answer).
    expect(
        page.locator(f"#vraag-{first_key}").get_by_role("button", name="Opmerking opslaan")
    ).to_be_focused()
    page.get_by_role("button", name="Markeren als beoordeeld").click()
    expect(page.get_by_text("De checklist is gemarkeerd als beoordeeld.")).to_be_visible()
    assert_accessible(page)

    # The roll-up of the region, with the comparison and next steps.
    page.goto(f"{live_server.url}/checklists/")
    title = submitted.template_version.template.title
    page.get_by_role("link", name=f"Overzicht: {title}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Overzicht:")
    expect(page.get_by_role("heading", name="Vergeleken met de vorige ronde")).to_be_visible()
    assert_accessible(page)
    button = page.locator("#volgende-stappen ~ section button").first
    button.click()
    expect(page.get_by_text("Werkagenda-actie gemaakt")).to_be_visible()
    action = RegionAction.objects.get()
    assert page.url.endswith(f"/werkagenda/acties/{action.pk}/")
    assert action.schools.filter(brin="99AD").exists()  # low on that section
    assert_accessible(page)


@pytest.fixture
def example_assignment(demo):
    from regions.models import School
    from tests.checklists.factories import assignment_for, example_version

    school = School.objects.filter(brin="99AA").first()
    return assignment_for(school, demo["region"], version=example_version())


def test_typing_during_an_autosave_is_kept_and_saved(page, live_server, example_assignment, login):
    """The save of one field answers with the whole question; what the user typed in the
    next field of that question while the request was under way must survive the swap
    (and be saved when the field is left), and the open panel stays open."""
    assignment = example_assignment
    login(page, "schoolleider")
    page.goto(f"{live_server.url}/checklists/{assignment.pk}/")
    question = page.locator("#vraag-visie-1")
    question.locator("#meer-visie-1").click()  # open "Onderbouwing en opmerking"
    held = []
    page.route("**/vragen/visie-1/", lambda route: held.append(route))
    page.fill("#id_q-visie-1-evidence_note", "Staat in het schoolplan.")
    with page.expect_request("**/vragen/visie-1/"):
        page.locator("#id_q-visie-1-evidence_note").press("Tab")  # on to the link field
    expect(page.locator("#id_q-visie-1-evidence_link")).to_be_focused()
    page.keyboard.type("www.school.nl/visie")  # while the note is being saved
    with page.expect_response("**/vragen/visie-1/"):
        held[0].continue_()
    page.unroute("**/vragen/visie-1/")
    expect(question.locator(".tk-saved")).to_have_text("Opgeslagen")
    link = page.locator("#id_q-visie-1-evidence_link")
    expect(link).to_have_value("www.school.nl/visie")
    expect(link).to_be_focused()
    expect(page.locator("#vraag-visie-1 details.cl-more")).to_have_attribute("open", "")
    # Leaving the field saves what was typed during the first save.
    with page.expect_response("**/vragen/visie-1/"):
        link.press("Tab")
    expect(page.locator("#vraag-visie-1 .tk-saved")).to_have_text("Opgeslagen")
    answer = Answer.objects.get(assignment=assignment, question_key="visie-1")
    assert answer.evidence_note == "Staat in het schoolplan."
    assert answer.evidence_link == "https://www.school.nl/visie"


def test_the_open_panel_stays_open_after_an_answer_is_saved(
    page, live_server, example_assignment, login
):
    login(page, "schoolleider")
    page.goto(f"{live_server.url}/checklists/{example_assignment.pk}/")
    page.locator("#meer-team-1").click()
    with page.expect_response("**/vragen/team-1/"):
        page.locator("#vraag-team-1").get_by_label("volledig").check()
    expect(page.locator("#vraag-team-1 .tk-saved")).to_have_text("Opgeslagen")
    expect(page.locator("#vraag-team-1 details.cl-more")).to_have_attribute("open", "")


def test_coordinators_checklist_list_fits_390(page, live_server, demo, login):
    login(page, "coordinator")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/checklists/")
    button = page.get_by_role("link", name="Checklist toewijzen in")
    expect(button.first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_question_texts_are_bold_and_options_normal(page, live_server, example_assignment, login):
    """The question is the heading of its block, for every type; the options are not."""
    login(page, "schoolleider")
    page.goto(f"{live_server.url}/checklists/{example_assignment.pk}/")

    def weight(selector):
        return int(page.locator(selector).first.evaluate("e => getComputedStyle(e).fontWeight"))

    assert weight("#vraag-visie-1 legend") >= 700  # a choice: its legend
    assert weight("#vraag-team-1 legend") >= 700  # a scale
    assert weight("#vraag-ib-naam label[for='id_q-ib-naam-value']") >= 700  # a text
    assert weight("#vraag-bewijs .cl-question__text") >= 700  # evidence: no value field
    assert weight("label[for='id_q-visie-1-value_0']") == 400  # an option
    assert weight("label[for='id_q-team-1-value_0']") == 400
