"""Toolkit links and checklists are edited as lines in the admin, stored as the same JSON."""

import pytest
from django.urls import reverse

from regions.accounts import make_beheerder
from tests.factories import UserFactory
from tests.toolkit.factories import item, measure
from toolkit.admin import MeasureForm, ToolkitItemForm

pytestmark = pytest.mark.django_db


def form_data(obj, form_class, **changes):
    """The admin form as the page fills it in, with `changes`."""
    form = form_class(instance=obj)
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form.initial.get(name))
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    data.update(changes)
    return data


def test_links_and_checklist_show_as_lines():
    with_links = item("ken-de-definitie-van-inclusief-onderwijs")
    form = ToolkitItemForm(instance=with_links)
    assert "<textarea" in str(form["links"])
    first = with_links.links[0]
    assert form["links"].value().splitlines()[0] == f"{first['label']} | {first['url']}"
    with_checklist = item()
    form = ToolkitItemForm(instance=with_checklist)
    assert form["checklist"].value().splitlines() == with_checklist.checklist


def test_lines_are_stored_in_the_same_json_shape():
    tip = item()
    form = ToolkitItemForm(
        form_data(
            tip,
            ToolkitItemForm,
            links="Rijksoverheid | https://rijksoverheid.nl/\n\n Passend | PO |https://po.nl/a ",
            checklist="Eerste punt\n\n Tweede punt \n",
        ),
        instance=tip,
    )
    assert form.is_valid(), form.errors
    form.save()
    tip.refresh_from_db()
    # A title may hold "|": the address is what follows the last one.
    assert tip.links == [
        {"label": "Rijksoverheid", "url": "https://rijksoverheid.nl/"},
        {"label": "Passend | PO", "url": "https://po.nl/a"},
    ]
    assert tip.checklist == ["Eerste punt", "Tweede punt"]


@pytest.mark.parametrize(
    "line, message",
    [
        ("Alleen een titel", "Regel 1: schrijf titel | adres."),
        ("Titel | geen-adres", "Regel 1: geen-adres is geen geldig webadres"),
        ("Titel | javascript:alert(1)", "is geen geldig webadres"),
        ("| https://example.org/", "Regel 1: schrijf titel | adres."),
    ],
)
def test_a_bad_link_is_a_dutch_error_and_nothing_changes(line, message):
    tip = item()
    before = list(tip.links)
    form = ToolkitItemForm(form_data(tip, ToolkitItemForm, links=line), instance=tip)
    assert not form.is_valid()
    assert message in " ".join(form.errors["links"])
    tip.refresh_from_db()
    assert tip.links == before


def test_measure_items_and_actors_are_lines():
    m = measure()
    form = MeasureForm(form_data(m, MeasureForm, actors="OCW\nPO-Raad"), instance=m)
    assert form.is_valid(), form.errors
    form.save()
    m.refresh_from_db()
    assert m.actors == ["OCW", "PO-Raad"]


def test_the_admin_change_page_saves_links_as_json(client):
    tip = item()
    client.force_login(make_beheerder(UserFactory()))
    url = reverse("admin:toolkit_toolkititem_change", args=[tip.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="links"' in page.content.decode() and "https://" in page.content.decode()
    data = form_data(tip, ToolkitItemForm, links="Nieuw | https://example.org/nieuw")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    tip.refresh_from_db()
    assert tip.links == [{"label": "Nieuw", "url": "https://example.org/nieuw"}]
