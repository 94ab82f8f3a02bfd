"""Shared template pieces: each job has one piece, and no page writes it again by hand."""

import pytest
from django.template import Context, Template

from tests.templates import templates_with


def render(source, **context):
    return " ".join(Template(source).render(Context(context)).split())


def test_the_error_summary_takes_the_focus_and_lists_its_items():
    html = render(
        "{% load error_summary %}{% error_summary heading %}<li>{{ item }}</li>"
        "{% enderror_summary %}",
        heading="Niet opgeslagen <b>",
        item="Vul een naam in.",
    )
    assert 'class="utrecht-alert utrecht-alert--error error-summary" role="alert"' in html
    assert 'tabindex="-1" data-focus-summary' in html
    assert "<strong>Niet opgeslagen &lt;b&gt;</strong>" in html
    assert '<ul class="utrecht-unordered-list"> <li>Vul een naam in.</li> </ul>' in html


def test_the_delete_form_names_what_goes_and_swaps_in_place_only_with_a_target():
    source = '{% include "_delete_form.html" with url="/x/" name="De Kade" target=target %}'
    with_htmx = render(source, target="#partners", csrf_token="t")
    assert 'hx-post="/x/" hx-target="#partners" hx-swap="outerHTML"' in with_htmx
    # No space before the colon: the button's accessible name is "Verwijderen: De Kade".
    assert 'Verwijderen<span class="visually-hidden">: De Kade</span>' in with_htmx
    assert 'class="link-button"' in with_htmx
    assert "hx-post" not in render(source, target="", csrf_token="t")


@pytest.mark.parametrize(
    ("marker", "piece"),
    [
        # The two alerts that take the focus: a refused form, a refused stale save.
        ("data-focus-summary", ("_error_summary.html", "_conflict.html")),
        ('{% translate "Verwijderen" %}', "_delete_form.html"),
        ("_create_in_region.html", "_list_header.html"),
    ],
)
def test_no_template_writes_a_shared_piece_by_hand(marker, piece):
    assert templates_with(marker, except_for=piece) == []
