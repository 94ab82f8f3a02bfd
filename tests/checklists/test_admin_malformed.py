"""A malformed template document in Django admin gets a Dutch error list, never a 500,
and saves nothing (checklists.loader.parse_document and validate_document, shared with
the loader of checklists/content/)."""

import copy
import json

import pytest
from django.urls import reverse

from checklists.models import TemplateVersion
from regions.accounts import make_beheerder
from tests.checklists.factories import example_version
from tests.factories import UserFactory


def question_with(**fields):
    def change(content):
        content["sections"][1]["questions"][0].update(fields)  # klasgrootte, a number

    return change


def section_with(**fields):
    def change(content):
        content["sections"][0].update(fields)

    return change


def document_with(**fields):
    def change(content):
        content.update(fields)

    return change


def as_json(change, replace=None):
    def text(content):
        content = copy.deepcopy(content)
        change(content)
        dumped = json.dumps(content)
        return dumped.replace(*replace) if replace else dumped

    return text


MALFORMED = {
    "nested very deep": lambda content: "[" * 100_000 + "]" * 100_000,
    "nested deeper than the format": as_json(document_with(extra=[[[[[[[[[[["x"]]]]]]]]]]])),
    "type is a list": as_json(question_with(type=["scale"])),
    "toolkit item is a list": as_json(question_with(toolkit_items=[["x"]])),
    "measure is an object": as_json(question_with(measures=[{"a": 1}])),
    "school field is a list": as_json(question_with(school_field=["acoustics"])),
    "key is a list": as_json(question_with(key=["a"])),
    "section key is an object": as_json(section_with(key={"a": 1})),
    "min NaN": as_json(question_with(min="@"), ('"@"', "NaN")),
    "min Infinity": as_json(question_with(min="@"), ('"@"', "Infinity")),
    "min -Infinity": as_json(question_with(min="@"), ('"@"', "-Infinity")),
    "min 1e309": as_json(question_with(min="@"), ('"@"', "1e309")),
    "unknown key 1e309": as_json(document_with(later="@"), ('"@"', "1e309")),
    "min 10**400": as_json(question_with(min="@"), ('"@"', "1" + "0" * 400)),
    "min 10**5000": as_json(question_with(min="@"), ('"@"', "1" + "0" * 5000)),
    "min beyond the bound": as_json(question_with(min=10**13)),
    "intro is an object": as_json(section_with(intro={"a": 1})),
    "purpose is an object": as_json(document_with(purpose={"a": 1})),
    "source is a list": as_json(document_with(source=["x"])),
    "audience is a list": as_json(document_with(audience=["schoolleider"])),
    "question key too long": as_json(question_with(key="a" * 61)),
    "question key with underscore": as_json(question_with(key="klas_grootte")),
    "title too long": as_json(document_with(title="T" * 201)),
}


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_beheerder(UserFactory()))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_document_gets_an_error_list_and_saves_nothing(admin_client, name):
    template = example_version().template
    before = copy.deepcopy(template.content)
    url = reverse("admin:checklists_checklisttemplate_change", args=[template.pk])
    response = admin_client.post(
        url,
        {
            "content": MALFORMED[name](template.content),
            "versions-TOTAL_FORMS": 0,
            "versions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    template.refresh_from_db()
    assert template.content == before
    assert TemplateVersion.objects.filter(template=template).count() == 1


@pytest.mark.django_db
def test_the_shipped_example_still_passes(admin_client):
    template = example_version().template
    url = reverse("admin:checklists_checklisttemplate_change", args=[template.pk])
    content = {**template.content, "title": "Nieuwe titel"}
    response = admin_client.post(
        url,
        {"content": json.dumps(content), "versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0},
    )
    assert response.status_code == 302
