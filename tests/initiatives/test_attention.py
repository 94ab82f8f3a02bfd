"""What needs attention in a region: on the region page (htmx fragment from initiatives)
and on the coordinator's home page."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from regions.models import Region


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, stdout=None)
    return Region.objects.get(name="Regio Havenstad (demo)")


def fragment(client, username, region):
    client.force_login(User.objects.get(username=username))
    url = reverse("initiatives:region_attention", args=[region.pk])
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_the_region_page_loads_the_fragment_with_a_plain_link_fallback(client, demo):
    client.force_login(User.objects.get(username="coordinator"))
    page = client.get(reverse("regions:region_detail", args=[demo.pk])).content.decode()
    url = reverse("initiatives:region_attention", args=[demo.pk])
    assert f'hx-get="{url}"' in page and f'href="{url}"' in page


def test_the_coordinator_sees_late_plan_items_agreements_and_weak_initiatives(client, demo):
    html = fragment(client, "coordinator", demo)
    assert "<html" not in html  # htmx gets the fragment only
    assert "Mijlpaal:" in html  # a late milestone of De Kade's plan
    assert "nog geen bevestigde plaats" in html  # a cohort pupil, seen by the coordinator
    assert "betwist" in html  # the disputed agreement
    assert "Groep in school Aan de Haven" in html  # under its viability minimum


def test_the_manager_gets_no_pupil_items(client, demo):
    html = fragment(client, "manager", demo)
    assert "Mijlpaal:" in html
    assert "nog geen bevestigde plaats" not in html


def test_without_htmx_it_is_a_page_of_its_own(client, demo):
    client.force_login(User.objects.get(username="coordinator"))
    html = client.get(reverse("initiatives:region_attention", args=[demo.pk])).content.decode()
    assert "<html" in html and "Vraagt aandacht in Regio Havenstad (demo)" in html


def test_the_coordinators_home_page_shows_what_is_late(client, demo):
    client.force_login(User.objects.get(username="coordinator"))
    html = client.get(reverse("plans:home")).content.decode()
    assert "Vraagt aandacht in Regio Havenstad (demo)" in html
    assert "Mijlpaal:" in html
    client.force_login(User.objects.get(username="manager"))
    assert "Vraagt aandacht in" not in client.get(reverse("plans:home")).content.decode()
