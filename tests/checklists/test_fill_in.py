import pytest
from django.urls import reverse

from checklists.models import Answer, Assignment
from tests.checklists.factories import assignment_for
from tests.factories import leader_of

HTMX = {"HX-Request": "true"}


def answer_url(assignment, key):
    return reverse("checklists:answer_save", args=[assignment.pk, key])


def post_answer(client, assignment, key, value=None, version=0, htmx=True, **extra):
    prefix = f"q-{key}-"
    data = {prefix + "version": version}
    if value is not None:
        data[prefix + "value"] = value
    data |= {prefix + name: v for name, v in extra.items()}
    return client.post(answer_url(assignment, key), data, headers=HTMX if htmx else {})


def post_section(client, assignment, section, answers):
    """The section's form without JavaScript: each question answered for the first time."""
    data = {}
    for key, value in answers.items():
        data |= {f"q-{key}-value": value, f"q-{key}-version": 0}
    return client.post(reverse("checklists:section_save", args=[assignment.pk, section]), data)


@pytest.fixture
def assignment(school, region):
    return assignment_for(school, region)


@pytest.mark.django_db
def test_htmx_post_saves_one_answer_and_says_opgeslagen(client, leader, assignment):
    client.force_login(leader)
    response = post_answer(client, assignment, "visie-1", "deels", comment="Staat in het plan.")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Opgeslagen" in html
    assert 'id="live-status" hx-swap-oob="innerHTML"' in html
    assert 'id="voortgang-visie" hx-swap-oob="true"' in html
    answer = Answer.objects.get(assignment=assignment)
    assert (answer.question_key, answer.value, answer.comment) == (
        "visie-1",
        "deels",
        "Staat in het plan.",
    )
    assert answer.version == 1 and answer.answered_by == leader
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.IN_PROGRESS
    # The new count is in the fragment, so the next save of this question is not stale.
    assert 'name="q-visie-1-version" value="1"' in html


@pytest.mark.django_db
def test_answers_are_there_when_the_leader_comes_back(client, leader, assignment):
    client.force_login(leader)
    post_answer(client, assignment, "ib-naam", "M. de Vries")
    post_answer(client, assignment, "klasgrootte", "24")
    page = client.get(
        reverse("checklists:assignment_detail", args=[assignment.pk])
    ).content.decode()
    assert 'value="M. de Vries"' in page
    assert 'value="24"' in page
    assert "1 van 3 beantwoord" in page and "1 van 5 beantwoord" in page


@pytest.mark.django_db
def test_stale_save_is_refused_with_the_current_answer(client, leader, school, assignment):
    colleague = leader_of(school)
    client.force_login(colleague)
    post_answer(client, assignment, "visie-1", "ja")  # colleague answers first (version 1)
    client.force_login(leader)
    response = post_answer(client, assignment, "visie-1", "nee", version=0)  # page loaded before
    html = response.content.decode()
    assert "Iemand anders van uw school heeft deze vraag intussen beantwoord" in html
    assert "Huidig antwoord" in html
    answer = Answer.objects.get(assignment=assignment, question_key="visie-1")
    assert answer.value == "ja" and answer.answered_by == colleague
    # What the leader chose is still selected, now against the current count.
    assert 'name="q-visie-1-version" value="1"' in html
    assert 'value="nee"' in html and "checked" in html.split('value="nee"')[1][:40]
    # Saving again is a deliberate replacement.
    post_answer(client, assignment, "visie-1", "nee", version=1)
    answer.refresh_from_db()
    assert answer.value == "nee"


@pytest.mark.django_db
def test_stale_plain_save_answers_409_and_saves_nothing(client, leader, assignment):
    client.force_login(leader)
    post_answer(client, assignment, "visie-1", "ja")
    response = post_answer(client, assignment, "visie-1", "nee", version=0, htmx=False)
    assert response.status_code == 409
    assert Answer.objects.get(assignment=assignment).value == "ja"


@pytest.mark.django_db
def test_section_fallback_saves_the_whole_section_without_javascript(client, leader, assignment):
    client.force_login(leader)
    response = post_section(
        client, assignment, "visie", {"visie-1": "ja", "team-1": "3", "ib-naam": ""}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#onderdeel-visie")
    saved = dict(Answer.objects.values_list("question_key", "value"))
    assert saved == {"visie-1": "ja", "team-1": "3"}  # nothing given: no empty answer


@pytest.mark.django_db
def test_section_fallback_keeps_a_bad_question_and_saves_the_rest(client, leader, assignment):
    client.force_login(leader)
    answers = {"klasgrootte": "veel", "overdracht-datum": "2026-03-01"}
    response = post_section(client, assignment, "gebouw", answers)
    assert response.status_code == 400
    assert "Vul een getal in" in response.content.decode()
    saved = dict(Answer.objects.values_list("question_key", "value"))
    assert saved == {"overdracht-datum": "2026-03-01"}


@pytest.mark.django_db
def test_only_a_note_or_comment_does_not_answer_a_question(client, leader, assignment):
    """Answered means a value is given (for an evidence question: a note or link)."""
    client.force_login(leader)
    html = post_answer(
        client, assignment, "visie-1", "", evidence_note="Zie plan", comment="Later"
    ).content.decode()
    assert "Opgeslagen" in html and "nog niet beantwoord" in html
    assert "0 van 3 beantwoord" in html
    post_answer(client, assignment, "bewijs", evidence_link="www.school.nl/sop")
    page = client.get(reverse("checklists:assignment_detail", args=[assignment.pk]))
    assert "0 van 3 beantwoord" in page.content.decode()
    assert "1 van 5 beantwoord" in page.content.decode()  # the evidence question
    submit_page = client.get(reverse("checklists:submit", args=[assignment.pk]))
    open_keys = [row.key for row in submit_page.context["open_rows"]]
    assert "visie-1" in open_keys and "bewijs" not in open_keys
    listed = client.get(reverse("checklists:assignment_list")).context["page"].object_list
    assert [a.n_answered for a in listed] == [1]


def save_gebouw(client, leader, assignment, more):
    """Save the section 'gebouw' as `leader`: a class size that is not a number, a
    handover date, and the fields in `more`."""
    client.force_login(leader)
    url = reverse("checklists:section_save", args=[assignment.pk, "gebouw"])
    data = {
        "q-klasgrootte-value": "veel",
        "q-klasgrootte-version": 0,
        "q-overdracht-datum-value": "2026-03-01",
        "q-overdracht-datum-version": 0,
        **more,
    }
    return client.post(url, data)


@pytest.mark.django_db
def test_section_save_says_opgeslagen_only_where_something_was_saved(client, leader, assignment):
    response = save_gebouw(client, leader, assignment, {"q-plan-value": "", "q-plan-version": 0})
    rows = {row.key: row for block in response.context["blocks"] for row in block.rows}
    assert rows["overdracht-datum"].saved and not rows["plan"].saved
    assert not Answer.objects.filter(question_key="plan").exists()


@pytest.mark.django_db
def test_save_from_an_old_tab_after_submitting_answers_the_question_not_a_page(
    client, leader, assignment
):
    client.force_login(leader)
    post_answer(client, assignment, "visie-1", "ja")
    client.post(reverse("checklists:submit", args=[assignment.pk]))
    response = post_answer(client, assignment, "visie-1", "nee", version=1)
    html = response.content.decode()
    assert response.status_code == 200 and "<h1" not in html and "<html" not in html
    assert 'id="vraag-visie-1"' in html
    assert "Deze checklist is al ingediend; uw antwoord is niet opgeslagen." in html
    assert Answer.objects.get(assignment=assignment).value == "ja"
    # Without htmx: back to the (read-only) page with the message.
    plain = post_answer(client, assignment, "visie-1", "nee", version=1, htmx=False)
    assert plain.status_code == 302


@pytest.mark.django_db
def test_conflict_offers_mijn_antwoord_opslaan_and_stops_autosave(
    client, leader, school, assignment
):
    client.force_login(leader_of(school))
    post_answer(client, assignment, "visie-1", "ja")
    client.force_login(leader)
    html = post_answer(client, assignment, "visie-1", "nee", version=0).content.decode()
    assert "Sla opnieuw op" not in html
    assert "Kies &#x27;Mijn antwoord opslaan&#x27;" in html
    button = html.split("Mijn antwoord opslaan<span")[0].rsplit("<button", 1)[1]
    assert f'formaction="{answer_url(assignment, "visie-1")}"' in button
    assert f'hx-post="{answer_url(assignment, "visie-1")}"' in button
    question = html.split('id="vraag-visie-1"')[1].split(">")[0]
    assert "hx-post" not in question and "data-conflict" in question


@pytest.mark.django_db
def test_section_save_with_an_error_shows_a_summary_at_the_top(client, leader, assignment):
    """Without JavaScript the page reloads at the top: the error summary (focused by
    htmx-focus.js) says what was not saved and links to the field."""
    versions = {"q-plan-version": 0, "q-bewijs-version": 0, "q-akoestiek-version": 0}
    html = save_gebouw(client, leader, assignment, versions).content.decode()
    summary = html.split('class="utrecht-alert utrecht-alert--error error-summary"')[1]
    summary = summary.split("</ul>")[0]
    assert "data-focus-summary" in summary and "de andere antwoorden wel" in summary
    assert '<a href="#id_q-klasgrootte-value">Hoe groot is een klas gemiddeld?</a>' in summary
    assert "Vul een getal in" in summary and "overdracht" not in summary
    assert summary.count("<li>") == 1
    assert html.index("error-summary") < html.index('id="onderdeel-visie"')
