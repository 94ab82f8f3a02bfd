"""One history partial for every short audited history."""

import datetime as dt

from django.template.loader import render_to_string

from tests.templates import templates_with


def test_the_partial_lists_who_changed_what():
    entry = {
        "timestamp": dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
        "actor": "Alice",
        "changes": [("status", "niet gestart", "bezig")],
    }
    html = render_to_string("_history.html", {"entries": [entry], "title": "Laatste wijzigingen"})
    assert "Laatste wijzigingen" in html
    assert "Alice: Status niet gestart → bezig" in html


def test_no_history_renders_nothing():
    assert render_to_string("_history.html", {"entries": []}).strip() == ""


def test_no_template_lists_a_history_by_hand():
    assert templates_with("entry.changes", except_for="_history.html") == []
