"""Linking initiatives from the werkagenda action's side."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tests.initiatives.initiative_factories import InitiativeFactory
from toolkit.models import RegionAction, WerkagendaLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(region):
    line = WerkagendaLine.objects.order_by("number").first()
    return RegionAction.objects.create(region=region, line=line, title="Samen plannen")


def url(action):
    return reverse("initiatives:action_initiatives", args=[action.region_id, action.pk])


def test_coordinator_ticks_the_regions_initiatives(client, alice, region, action):
    one = InitiativeFactory(region=region, name="Een")
    two = InitiativeFactory(region=region, name="Twee")
    two.actions.add(action)
    client.force_login(alice)
    page = client.get(url(action)).content.decode()
    assert "Een" in page and "Twee" in page
    response = client.post(url(action), {"initiatives": [one.pk]})
    assert response.status_code == 302
    assert list(action.initiatives.all()) == [one]
    # Each change is in the initiative's own audited history.
    assert LogEntry.objects.get_for_object(one).filter(changes__has_key="actions").exists()
    assert LogEntry.objects.get_for_object(two).filter(changes__has_key="actions").exists()
    # Nothing ticked unlinks them all.
    client.post(url(action), {})
    assert not action.initiatives.exists()


def test_an_initiative_of_another_region_is_refused(client, alice, other_region, action):
    theirs = InitiativeFactory(region=other_region, name="Elders")
    client.force_login(alice)
    response = client.post(url(action), {"initiatives": [theirs.pk]})
    assert response.status_code == 400
    assert "Dit initiatief hoort niet bij deze regio." in response.content.decode()
    assert not action.initiatives.exists()


def test_readers_403_and_another_region_404(client, bob, charlie, action):
    client.force_login(bob)
    assert client.get(url(action)).status_code == 403
    client.force_login(charlie)
    assert client.get(url(action)).status_code == 404


def test_the_werkagenda_and_the_action_page_link_to_it(client, alice, region, action):
    client.force_login(alice)
    # The werkagenda shows actions closed: the link comes with the opened action.
    opened = reverse("toolkit:action_detail", args=[region.pk, action.pk])
    assert url(action) in client.get(opened, headers={"HX-Request": "true"}).content.decode()
    edit = reverse("toolkit:action_edit", args=[region.pk, action.pk])
    assert url(action) in client.get(edit).content.decode()
