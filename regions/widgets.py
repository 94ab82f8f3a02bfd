"""Widgets every form of every app uses, so a date looks and parses the same everywhere."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO (2026-08-01)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def date_widgets(*names) -> dict:
    """Meta.widgets for the date fields `names`."""
    return {name: DateInput() for name in names}


def text_areas(*names, rows=3) -> dict:
    """Meta.widgets for the free-text fields `names`: a few lines high."""
    return {name: forms.Textarea(attrs={"rows": rows}) for name in names}
