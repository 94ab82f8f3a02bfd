"""Helpers for tests that read the templates as text."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def templates_with(marker, *, except_for):
    """The templates (relative paths) whose text holds `marker`, other than the shared
    piece(s) `except_for` that should be the only one(s): a page doing it by hand."""
    pieces = {except_for} if isinstance(except_for, str) else set(except_for)
    return [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if marker in path.read_text() and path.name not in pieces
    ]
