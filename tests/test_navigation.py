"""The main menu and the region tabs mark where the user is (aria-current)."""

import re
from html import unescape

from django.urls import reverse


def current_links(html):
    """Labels of the links marked aria-current="page"."""
    return [
        unescape(label) for label in re.findall(r"aria-current=\"page\"[^>]*>([^<]+)</a>", html)
    ]


def test_the_access_log_is_a_region_page_not_a_pupil_page(client, region, alice):
    client.force_login(alice)
    html = client.get(reverse("learners:access_log", args=[region.pk])).content.decode()
    assert current_links(html) == ["Regio's", "Inzagelogboek"]


def test_a_pupil_page_marks_pupils(client, region, alice):
    client.force_login(alice)
    html = client.get(reverse("learners:pupil_list")).content.decode()
    assert current_links(html) == ["Leerlingen"]


def test_toolkit_pages_mark_the_region_and_their_tab(client, region, alice):
    client.force_login(alice)
    html = client.get(reverse("toolkit:werkagenda", args=[region.pk])).content.decode()
    assert current_links(html) == ["Regio's", "Werkagenda"]


def test_the_manager_gets_no_access_log_tab(client, region, bob):
    client.force_login(bob)
    html = client.get(reverse("toolkit:dashboard", args=[region.pk])).content.decode()
    assert "Inzagelogboek" not in html
    assert "Dashboard" in html


def test_favicon_ico_points_at_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
