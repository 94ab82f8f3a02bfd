"""One date widget: every date field of every form of every app uses regions.widgets."""

import inspect
from importlib import import_module

import pytest
from django import forms

from regions.widgets import DateInput

FORM_MODULES = ["regions.forms", "learners.forms", "toolkit.forms", "plans.forms"]


def _date_fields():
    for name in FORM_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError:
            continue
        for form_name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == name:
                for field_name, field in form.base_fields.items():
                    if isinstance(field, forms.DateField):
                        yield f"{form_name}.{field_name}", field


def test_there_are_date_fields_to_check():
    assert len(list(_date_fields())) >= 10


@pytest.mark.parametrize(("name", "field"), list(_date_fields()))
def test_every_date_field_uses_the_one_date_widget(name, field):
    assert type(field.widget) is DateInput, name
    assert field.widget.input_type == "date"
    assert field.widget.format == "%Y-%m-%d"
