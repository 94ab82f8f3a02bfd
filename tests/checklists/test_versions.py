"""Templates as data: the loader publishes a version only for a changed file, the admin
publishes its own versions, and an old response still reads as it was answered."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from checklists.loader import load_templates, publish
from checklists.models import Answer, Assignment, ChecklistTemplate, TemplateVersion
from tests.checklists.factories import DATA, EXAMPLE_SLUG, assignment_for
from tests.factories import UserFactory


def example():
    return json.loads((DATA / f"{EXAMPLE_SLUG}.json").read_text(encoding="utf-8"))


def write(directory, data, name=None):
    path = directory / f"{name or data['slug']}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_loader_publishes_once_and_again_only_after_a_change(tmp_path):
    data = example()
    write(tmp_path, data)
    assert [v.number for v in load_templates(tmp_path)] == [1]
    assert load_templates(tmp_path) == []  # unchanged: nothing
    data["sections"][0]["questions"][0]["text"] = "Heeft de school een uitgeschreven visie?"
    write(tmp_path, data)
    assert [v.number for v in load_templates(tmp_path)] == [2]
    template = ChecklistTemplate.objects.get(slug=EXAMPLE_SLUG)
    assert template.title == data["title"] and template.audience == "schoolleider"
    assert TemplateVersion.objects.filter(template=template).count() == 2


@pytest.mark.django_db
def test_loader_keeps_a_version_published_in_admin_until_the_file_changes(tmp_path):
    write(tmp_path, example())
    load_templates(tmp_path)
    template = ChecklistTemplate.objects.get(slug=EXAMPLE_SLUG)
    template.content = {**template.content, "purpose": "Aangepast in het beheer."}
    template.save()
    assert publish(template, by=UserFactory()).number == 2
    assert load_templates(tmp_path) == []
    assert template.latest_version().purpose == "Aangepast in het beheer."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["sections"][0]["questions"][0].update(type="keuze"),
            "vraag 'visie-1': type 'keuze' is onbekend",
        ),
        (
            lambda d: d["sections"][1]["questions"][0].update(key="visie-1"),
            "vraag 'visie-1': deze key komt twee keer voor",
        ),
        (
            lambda d: d["sections"][0]["questions"][1].update(scale=["alleen"]),
            "vraag 'team-1': een schaal heeft 2 tot 7 stappen",
        ),
        (
            lambda d: d["sections"][0]["questions"][0].update(toolkit_items=["bestaat-niet"]),
            "toolkititem 'bestaat-niet' bestaat niet",
        ),
        (
            lambda d: d["sections"][0]["questions"][0].update(measures=["9.Z.9"]),
            "maatregel '9.Z.9' bestaat niet",
        ),
        (
            lambda d: d["sections"][1]["questions"][-1].update(school_field="dak"),
            "school_field 'dak' is onbekend",
        ),
        (lambda d: d["sections"][1]["questions"][0].update(min=50), "'min' is groter dan 'max'"),
        (lambda d: d.update(audience="ouders"), "audience 'ouders' is onbekend"),
        (lambda d: d.pop("sections"), "'sections' ontbreekt of is leeg"),
    ],
)
def test_loader_refuses_a_bad_document_naming_file_and_key(tmp_path, change, message):
    data = example()
    change(data)
    write(tmp_path, data, name=EXAMPLE_SLUG)
    with pytest.raises(ValidationError) as exc:
        load_templates(tmp_path)
    text = " ".join(exc.value.messages)
    assert f"{EXAMPLE_SLUG}.json: " in text
    assert message in text
    assert not ChecklistTemplate.objects.filter(slug=EXAMPLE_SLUG).exists()


@pytest.mark.django_db
def test_malformed_json_file_says_where(tmp_path):
    (tmp_path / "kapot.json").write_text('{"slug": "kapot",', encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        load_templates(tmp_path)
    assert "kapot.json: geen geldige JSON (regel 1" in exc.value.messages[0]


@pytest.mark.django_db
def test_load_checklists_command(tmp_path, capsys):
    write(tmp_path, example())
    call_command("load_checklists", "--map", str(tmp_path))
    call_command("load_checklists", "--map", str(tmp_path))
    out = capsys.readouterr().out
    assert "Gepubliceerd: Voorbeeldchecklist" in out and "Geen wijzigingen." in out


@pytest.mark.django_db
def test_old_response_renders_as_answered_after_a_new_version(
    client, tmp_path, school, region, leader
):
    data = example()
    write(tmp_path, data)
    load_templates(tmp_path)
    old = ChecklistTemplate.objects.get(slug=EXAMPLE_SLUG).latest_version()
    assignment = assignment_for(school, region, version=old, status=Assignment.Status.SUBMITTED)
    Answer.objects.create(assignment=assignment, question_key="team-1", value="2", version=1)
    # The template changes: other words, other scale labels, a question dropped.
    data["sections"][0]["questions"][1]["text"] = "Hoe positief is het team?"
    data["sections"][0]["questions"][1]["scale"] = ["nooit", "soms", "vaak", "altijd"]
    del data["sections"][0]["questions"][2]
    write(tmp_path, data)
    load_templates(tmp_path)
    client.force_login(leader)
    page = client.get(
        reverse("checklists:assignment_detail", args=[assignment.pk])
    ).content.decode()
    assert "Hoe staat het team tegenover leerlingen met TOS of D/SH?" in page
    assert "een beetje" in page and "soms" not in page
    assert "Wie is de IB-er of zorgcoördinator?" in page
    assert "Hoe positief is het team?" not in page
    # A new assignment gets the new version.
    assert ChecklistTemplate.objects.get(slug=EXAMPLE_SLUG).latest_version().number == 2
