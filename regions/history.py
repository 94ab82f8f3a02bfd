"""Audit entries (django-auditlog) as readable changes, for every app's "Laatste
wijzigingen": field names as their verbose name, choice values as their label, related
objects by name, dates as d-m-Y; bookkeeping fields (id, region, version, timestamps)
left out."""

from datetime import date, datetime

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# Fields a user never edits: they only say where a row lives or when it was touched.
BOOKKEEPING = frozenset({"id", "region", "version", "created_at", "updated_at"})
EMPTY = "–"
MAX_LENGTH = 60


def _short(text):
    return text if len(text) <= MAX_LENGTH else text[: MAX_LENGTH - 3] + "…"


def describe_value(model_field, value):
    """One stored audit value (a string: a pk, an ISO date, a choice value) as text."""
    if value in (None, "None", ""):
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("ja") if str(value) == "True" else _("nee")
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._base_manager.filter(pk=value).first()
        return _short(str(related)) if related else _("(verwijderd)")
    if isinstance(model_field, models.DateField):
        try:
            parsed = (
                datetime.fromisoformat(str(value))
                if isinstance(model_field, models.DateTimeField)
                else date.fromisoformat(str(value)[:10])
            )
        except ValueError:
            return str(value)
        return date_format(parsed, "d-m-Y H:i" if isinstance(parsed, datetime) else "d-m-Y")
    return _short(str(value))


def describe_changes(model, changes, *, skip=()):
    """[(label, old, new)] from an entry's changes_dict, in the model's field order."""
    rows = []
    for model_field in model._meta.get_fields():
        name = model_field.name
        if name not in (changes or {}) or name in BOOKKEEPING or name in skip:
            continue
        change = changes[name]
        if isinstance(change, dict):  # many-to-many: the objects added or removed
            names = ", ".join(change.get("objects", [])) or EMPTY
            old, new = (EMPTY, names) if change.get("operation") == "add" else (names, EMPTY)
        elif isinstance(change, list | tuple) and len(change) == 2:
            old, new = (describe_value(model_field, v) for v in change)
        else:
            continue
        if old != new:
            rows.append((model_field.verbose_name, old, new))
    return rows
