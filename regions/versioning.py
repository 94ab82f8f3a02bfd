"""Optimistic locking for records edited through forms (the toolkit's pattern, shared).

A versioned model has `version = PositiveIntegerField(default=0)`. The form carries the
version it was loaded with (VersionField, hidden). `save_if_current` reads the row with
select_for_update inside a transaction (PostgreSQL locks the row; SQLite runs with
BEGIN IMMEDIATE, see settings), compares the version and only then saves the instance
with version + 1. Saving the instance, not a bare UPDATE, keeps django-auditlog's trail.
"""

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _


class ConflictError(Exception):
    """Someone else saved the record after this form was loaded; `current` is the row now."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            _(
                "Iemand anders heeft dit intussen gewijzigd. Uw wijziging is niet opgeslagen. "
                "Hieronder staan de huidige gegevens; wat u typte staat nog in het formulier. "
                "Gegevens die nu anders zijn dan in uw formulier zijn gemarkeerd: neem ze over "
                "of sla bewust opnieuw op om ze te vervangen."
            )
        )


def lock_current(obj, version):
    """The row of `obj` as it is in the database now, locked for this transaction;
    ConflictError when its version is not the one the form was loaded with."""
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if version is None or current.version != version:
        raise ConflictError(current)
    return current


def save_if_current(obj, version, **save_kwargs):
    """Save `obj` (already changed in memory) only if nobody saved it since `version`."""
    with transaction.atomic():
        if obj.pk:
            lock_current(obj, version)
            obj.version = version + 1
        obj.save(**save_kwargs)
    return obj


def bump_version(obj):
    """A service changed `obj` outside a form: forms loaded before it are now stale."""
    rows = type(obj)._default_manager.select_for_update().filter(pk=obj.pk)
    obj.version = rows.values_list("version", flat=True).get() + 1


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class VersionedForm(forms.ModelForm):
    """A model form that carries the version its record was loaded with."""

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


def current_values(form, current):
    """(label, value, differs) for the fields `form` shows: what `current` holds now, and
    whether that differs from what the form would save. Differences come first, so
    nobody overwrites a colleague's change without seeing it."""
    rows = []
    typed = getattr(form, "cleaned_data", {})
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput) or not hasattr(current, name):
            continue
        now = getattr(current, name)
        differs = name in typed and _comparable(typed[name]) != _comparable(now)
        display = getattr(current, f"get_{name}_display", None)
        value = display() if display else now
        if hasattr(value, "all"):  # many-to-many
            value = ", ".join(_label(v) for v in value.all())
        elif value is True:
            value = _("ja")
        elif value is False:
            value = _("nee")
        elif hasattr(value, "strftime"):
            value = value.strftime("%d-%m-%Y")
        rows.append((field.label, "–" if value in (None, "") else str(value), differs))
    return sorted(rows, key=lambda row: not row[2])


def _comparable(value):
    """One shape for a typed value and a stored one: pks for objects, sets for many."""
    if hasattr(value, "all"):
        value = value.all()
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return frozenset(getattr(v, "pk", v) for v in value)
    if hasattr(value, "pk"):
        return value.pk
    if value in (None, ""):
        return None
    if isinstance(value, str):
        return value.strip()
    return value


def _label(obj):
    if hasattr(obj, "get_full_name"):
        return obj.get_full_name() or obj.username
    return str(obj)


def rebase(form, current):
    """Keep what the person typed, now against the current version: saving again
    deliberately replaces the current values."""
    data = form.data.copy()
    data[form.add_prefix("version")] = current.version
    form.data = data
