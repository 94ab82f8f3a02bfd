"""One pagination partial for every paginated list, keeping the list's query string."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string

from tests.templates import templates_with


def test_the_partial_keeps_the_query_and_links_both_ways():
    page = Paginator(range(30), 10).get_page(2)
    html = render_to_string("_pagination.html", {"page": page, "query": "q=ab&status=open"})
    assert 'class="utrecht-pagination"' in html
    assert 'href="?q=ab&amp;status=open&amp;page=1"' in html
    assert 'href="?q=ab&amp;status=open&amp;page=3"' in html
    assert "Pagina 2 van 3" in html


def test_without_a_query_the_link_is_just_the_page():
    page = Paginator(range(30), 10).get_page(1)
    html = render_to_string("_pagination.html", {"page": page, "query": ""})
    assert 'href="?page=2"' in html
    assert "Vorige" not in html


def test_one_page_shows_no_pagination():
    page = Paginator(range(3), 10).get_page(1)
    assert render_to_string("_pagination.html", {"page": page}).strip() == ""


def test_no_template_paginates_by_hand():
    assert templates_with("page.has_next", except_for="_pagination.html") == []


def test_a_later_page_of_a_list_names_its_page_in_the_title(client, alice, region, db):
    """WCAG 2.4.2: page 2 of the school list is told apart from page 1 by its title."""
    import re

    from django.urls import reverse

    from tests.factories import school_in

    for _ in range(26):  # the school list shows 25 a page
        school_in(region)
    client.force_login(alice)
    url = reverse("regions:school_list")

    def title(response):
        return re.search(r"<title>(.*?)</title>", response.text, re.S).group(1)

    assert "pagina" not in title(client.get(url))
    assert "(pagina 2 van 2)" in title(client.get(url + "?page=2"))
