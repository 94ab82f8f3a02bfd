"""The main menu and the region tabs mark where the user is (aria-current)."""

import re
from html import unescape

import pytest
from django.urls import reverse


def current_links(html):
    """Labels of the links marked aria-current="page"."""
    return [
        unescape(label) for label in re.findall(r"aria-current=\"page\"[^>]*>([^<]+)</a>", html)
    ]


@pytest.mark.parametrize(
    "url_name, in_region, marked",
    [
        # The access log is a region page, not a pupil page.
        ("learners:access_log", True, ["Regio's", "Inzagelogboek"]),
        ("learners:pupil_list", False, ["Leerlingen"]),
        ("toolkit:werkagenda", True, ["Regio's", "Werkagenda"]),
        ("initiatives:initiative_list", False, ["Initiatieven", "Initiatieven"]),
        ("toolkit:example_list", False, ["Initiatieven", "Praktijkvoorbeelden"]),
        ("initiatives:agreement_list", False, ["Initiatieven", "Afspraken"]),
    ],
)
def test_the_menus_mark_where_the_user_is(client, region, alice, url_name, in_region, marked):
    client.force_login(alice)
    url = reverse(url_name, args=[region.pk] if in_region else [])
    assert current_links(client.get(url).content.decode()) == marked


def test_the_manager_gets_no_access_log_tab(client, region, bob):
    client.force_login(bob)
    html = client.get(reverse("toolkit:dashboard", args=[region.pk])).content.decode()
    assert "Inzagelogboek" not in html
    assert "Dashboard" in html


def test_favicon_ico_points_at_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


def test_a_school_leader_finds_agreements_but_no_transition_plans(client, leader):
    client.force_login(leader)
    html = client.get(reverse("initiatives:initiative_list")).content.decode()
    assert reverse("initiatives:agreement_list") in html
    assert reverse("initiatives:transition_list") not in html
