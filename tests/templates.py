"""Helpers for tests that read the templates as text."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def templates_with(marker, *, except_for):
    """The templates (relative paths) whose text holds `marker`, other than the shared
    piece `except_for` that should be the only one: a page doing it by hand."""
    return [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if marker in path.read_text() and path.name != except_for
    ]
