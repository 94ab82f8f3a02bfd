"""The content comes from the data migration, so it is in every database, this one too."""

import importlib

import pytest
from django.apps import apps

from toolkit.loader import load_content
from toolkit.models import (
    Chapter,
    CooperationType,
    Measure,
    Phase,
    PracticeExample,
    ReviewMoment,
    Section,
    ToolkitItem,
    WerkagendaLine,
)

pytestmark = pytest.mark.django_db

LINES = [
    "Toerusten van school en personeel",
    "Laagdrempelige hulp in en nabij de school",
    "Organiseren van een dekkend aanbod van (inclusief) onderwijs en ondersteuning",
    "Regelruimte creëren in leerpad en ontwikkeling",
    "Bouwen aan een toegankelijke en inclusieve huisvesting",
    "Normaliseren van inclusief onderwijs",
]


def test_all_content_is_loaded():
    assert ToolkitItem.objects.count() == 38
    assert PracticeExample.objects.count() == 21  # 11 of the toolkit, 10 of seed 003
    assert list(WerkagendaLine.objects.values_list("title", flat=True)) == LINES
    assert Measure.objects.count() == 33
    assert Phase.objects.count() == 4
    assert ReviewMoment.objects.count() >= 3
    assert list(Chapter.objects.values_list("number", flat=True)) == [2, 3, 4, 5, 6]
    assert Section.objects.count() == 6


def test_items_have_kind_source_and_one_to_three_lines():
    kinds = set(ToolkitItem.Kind.values)
    for item in ToolkitItem.objects.prefetch_related("lines"):
        assert item.kind in kinds
        assert item.source.startswith("000_b3a3d22bf8c01c8e.txt")
        assert 1 <= item.lines.count() <= 3, item.slug
        if item.section:
            assert item.section.chapter_id == item.chapter_id


def test_parent_checklist_and_single_regelingen_item():
    parents = ToolkitItem.objects.get(slug="betrek-ouders-als-volwaardige-partners")
    assert len(parents.checklist) == 6
    assert ToolkitItem.objects.filter(title__icontains="bestaande regelingen").count() == 1


def test_practice_examples_cover_the_four_types_without_personal_contact_data():
    toolkit_types = {"school-in-school", "mediumsetting", "versnelde-doorstroom", "symbiose"}
    used = set(PracticeExample.objects.values_list("type__slug", flat=True))
    assert toolkit_types <= used
    assert used <= set(CooperationType.objects.values_list("slug", flat=True))
    for example in PracticeExample.objects.all():
        text = f"{example.summary} {example.contact_organisation} {example.partners}"
        assert "@" not in text


def test_measures_per_level_and_line():
    assert Measure.objects.filter(level="landelijk").count() == 12
    assert Measure.objects.exclude(level="landelijk").count() == 21
    for number in range(1, 7):
        assert Measure.objects.filter(line__number=number).exists()
    assert all(m.goal and m.items and m.source for m in Measure.objects.all())


def test_data_migration_is_idempotent():
    migration = importlib.import_module("toolkit.migrations.0002_load_content")
    item = ToolkitItem.objects.get(slug="film-tips")
    migration.load(apps, None)
    load_content()
    assert ToolkitItem.objects.count() == 38
    assert Measure.objects.count() == 33
    assert ToolkitItem.objects.get(slug="film-tips").pk == item.pk


def test_functional_admin_edits_content_in_django_admin(client):
    from tests.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    item = ToolkitItem.objects.get(slug="film-tips")
    for url in (
        "/beheer/toolkit/toolkititem/",
        f"/beheer/toolkit/toolkititem/{item.pk}/change/",
        "/beheer/toolkit/measure/",
        "/beheer/toolkit/practiceexample/",
        f"/beheer/toolkit/practiceexample/{PracticeExample.objects.first().pk}/change/",
        "/beheer/toolkit/regionaction/",
    ):
        assert client.get(url).status_code == 200, url
    m = Measure.objects.get(code="6.S.2")
    data = {
        "code": m.code,
        "order": m.order,
        "line": m.line_id,
        "level": m.level,
        "title": "Diverse werkcultuur (bijgewerkt)",
        "goal": m.goal,
        "items": '["een"]',
        "actors": "[]",
        "timeline": "",
        "source": m.source,
    }
    response = client.post(f"/beheer/toolkit/measure/{m.pk}/change/", data)
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.title == "Diverse werkcultuur (bijgewerkt)"


def test_functional_admin_edits_an_example_with_sectors_and_clusters(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    example = PracticeExample.objects.get(slug="eduwiek-hoogeveen")
    data = {
        f.name: getattr(example, f.attname)
        for f in PracticeExample._meta.concrete_fields
        if f.name not in {"id", "sectors", "clusters", "links"}
    }
    data |= {"links": "", "sectors": ["vo", "mbo"], "clusters": ["2", "3"]}
    response = client.post(f"/beheer/toolkit/practiceexample/{example.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    example.refresh_from_db()
    assert example.sectors == ["vo", "mbo"] and example.clusters == [2, 3]
    data["clusters"] = ["7"]
    response = client.post(f"/beheer/toolkit/practiceexample/{example.pk}/change/", data)
    assert response.status_code == 200  # refused, with a message
    example.refresh_from_db()
    assert example.clusters == [2, 3]
