"""The naming rules of docs/architecture.md ("Woordenlijst") that a test can read."""

import re

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

OUR_APPS = {"regions", "learners", "toolkit", "initiatives", "checklists", "plans"}
SLUG = re.compile(r"^[a-z0-9]+([_-][a-z0-9]+)*$")


def test_stored_choice_values_are_lowercase_slugs():
    """ "PO" and "VO" are labels; what the database stores is "po" and "vo"."""
    wrong = [
        f"{model.__name__}.{field.name}: {value!r}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.get_fields()
        for value, _label in getattr(field, "choices", None) or []
        if isinstance(value, str) and value and not SLUG.match(value)
    ]
    assert wrong == []


def _patterns(resolver):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry)
        elif isinstance(entry, URLPattern):
            yield entry


def test_url_keywords_are_pk_or_parent_pk():
    """An id in a URL is `pk` (the page's own object) or `<model>_pk` (a parent); a
    parent comes before the object: `regios/<region_pk>/rollen/<pk>/`."""
    wrong = []
    for pattern in _patterns(get_resolver()):
        if pattern.callback.__module__.split(".")[0] not in OUR_APPS:
            continue
        ids = [
            name
            for name, converter in pattern.pattern.converters.items()
            if type(converter).__name__ == "IntConverter"
        ]
        if any(name != "pk" and not name.endswith("_pk") for name in ids) or (
            "pk" in ids and ids[-1] != "pk"
        ):
            wrong.append(f"{pattern.name}: {pattern.pattern}")
    assert wrong == []
