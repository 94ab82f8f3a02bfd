"""Bad input per question type: a Dutch message next to the question, nothing saved."""

import pytest
from django.urls import reverse

from checklists.models import Answer
from tests.checklists.factories import assignment_for

HTMX = {"HX-Request": "true"}


@pytest.fixture
def assignment(school, region):
    return assignment_for(school, region)


def post(client, assignment, key, **fields):
    data = {f"q-{key}-version": 0} | {f"q-{key}-{name}": v for name, v in fields.items()}
    url = reverse("checklists:answer_save", args=[assignment.pk, key])
    return client.post(url, data, headers=HTMX)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "fields", "message"),
    [
        ("klasgrootte", {"value": "twaalf"}, "Vul een getal in, bijvoorbeeld 12 of 2,5."),
        ("klasgrootte", {"value": "41"}, "Vul een getal van 0 tot en met 40 in."),
        ("klasgrootte", {"value": "-1"}, "Vul een getal van 0 tot en met 40 in."),
        ("overdracht-datum", {"value": "31-02-2026"}, "Vul een geldige datum in"),
        ("overdracht-datum", {"value": "morgen"}, "Vul een geldige datum in"),
        ("team-1", {"value": "5"}, "Kies een van de stappen van de schaal"),
        ("visie-1", {"value": "misschien"}, "Kies ja, deels, nee of niet van toepassing."),
        ("ib-naam", {"value": "x" * 201}, "Dit antwoord is te lang: ten hoogste 200 tekens"),
        ("plan", {"value": "x" * 5001}, "Dit antwoord is te lang: ten hoogste 5000 tekens"),
        ("bewijs", {"evidence_link": "niet een link"}, "Dit is geen geldige link"),
        ("visie-1", {"value": "ja", "evidence_link": "http://"}, "Dit is geen geldige link"),
        ("visie-1", {"value": "ja", "comment": "x" * 5001}, "De opmerking is te lang"),
    ],
)
def test_bad_input_gets_a_dutch_message_and_saves_nothing(
    client, leader, assignment, key, fields, message
):
    client.force_login(leader)
    response = post(client, assignment, key, **fields)
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html  # next to the question, announced
    assert "Opgeslagen" not in html
    assert not Answer.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [
        ("klasgrootte", "2,5", "2.5"),
        ("klasgrootte", "24", "24"),
        ("overdracht-datum", "01-03-2026", "2026-03-01"),
        ("overdracht-datum", "2026-03-01", "2026-03-01"),
        ("team-1", "4", "4"),
        ("visie-1", "nvt", "nvt"),
    ],
)
def test_good_input_is_stored_in_one_form(client, leader, assignment, key, typed, stored):
    client.force_login(leader)
    assert "Opgeslagen" in post(client, assignment, key, value=typed).content.decode()
    assert Answer.objects.get().value == stored


@pytest.mark.django_db
def test_evidence_question_saves_note_and_link(client, leader, assignment):
    client.force_login(leader)
    post(
        client,
        assignment,
        "bewijs",
        evidence_note="Op de website",
        evidence_link="www.baken.nl/sop",
    )
    answer = Answer.objects.get()
    assert (answer.evidence_note, answer.evidence_link) == (
        "Op de website",
        "https://www.baken.nl/sop",
    )
    assert answer.assignment.template_version.questions["bewijs"].is_answered(answer)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.000", "1000"), ("12.500,5", "12500.5"), ("2.5", "2.5"), ("2,5", "2.5"), ("1 000", "1000")],
)
def test_a_dot_before_three_digits_is_a_dutch_thousands_separator(typed, stored):
    from checklists.models import Question

    question = Question({"key": "n", "type": "number", "text": "Hoeveel?", "min": 0})
    assert question.clean(typed) == stored


@pytest.mark.django_db
def test_1_000_in_a_small_number_question_is_refused_not_saved_as_1(client, leader, assignment):
    client.force_login(leader)
    html = post(client, assignment, "klasgrootte", value="1.000").content.decode()
    assert "Vul een getal van 0 tot en met 40 in." in html
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_number_bounds_are_shown_before_a_mistake(client, leader, assignment):
    client.force_login(leader)
    page = client.get(reverse("checklists:assignment_detail", args=[assignment.pk]))
    helptext = page.content.decode().split('id="id_q-klasgrootte-value_helptext"')[1][:200]
    assert "Een getal van 0 tot en met 40." in helptext
