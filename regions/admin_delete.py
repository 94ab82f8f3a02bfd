"""Delete pages in Django admin never list pupil data.

Django's "are you sure?" page, its "cannot delete, protected" page and the "delete
selected" action list every related object by name; for pupil data that name is the
pupil code, shown outside the app's scoping and access log. Here pupil data (see
regions/pupil_data.py) is counted per kind instead. Partners that pupil data point at cannot be
deleted at all (PROTECT in learners.models); the count says why.
"""

from collections import Counter

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, quote
from django.core.exceptions import ValidationError
from django.db import router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .pupil_data import is_pupil_data
from .versioning import VersionField, bump_version


class PupilDataUnlisted(NestedObjects):
    def _nested(self, obj, seen, format_callback):
        if is_pupil_data(obj):
            return []
        return super()._nested(obj, seen, format_callback)


def pupil_data_counts(objs, line):
    counts = Counter(str(obj._meta.verbose_name) for obj in objs if is_pupil_data(obj))
    return [line % {"n": n, "kind": kind} for kind, n in sorted(counts.items())]


class HidesPupilData:
    """For every ModelAdmin: Django's get_deleted_objects (delete view and "delete
    selected" action) with pupil data counted, not listed. Learners models are never
    registered in admin, so they never need a permission or a link."""

    def get_deleted_objects(self, objs, request):
        if not len(objs):
            return [], {}, set(), []
        collector = PupilDataUnlisted(using=router.db_for_write(self.model), origin=objs)
        collector.collect(objs)
        perms_needed = set()

        def format_callback(obj):
            opts = obj._meta
            label = capfirst(opts.verbose_name)
            if not self.admin_site.is_registered(type(obj)):
                return f"{label}: {obj}"
            if not self.admin_site.get_model_admin(type(obj)).has_delete_permission(request, obj):
                perms_needed.add(opts.verbose_name)
            try:
                url = reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=[quote(obj.pk)],
                )
            except NoReverseMatch:
                return f"{label}: {obj}"
            return format_html('{}: <a href="{}">{}</a>', label, url, obj)

        collected = [obj for found in collector.model_objs.values() for obj in found]
        to_delete = collector.nested(format_callback) + pupil_data_counts(
            collected, _("%(n)d × leerlinggegevens (%(kind)s), niet getoond")
        )
        protected = [
            format_callback(obj) for obj in collector.protected if not is_pupil_data(obj)
        ] + pupil_data_counts(
            collector.protected,
            _(
                "%(n)d × leerlinggegevens (%(kind)s), niet getoond; "
                "een AD-coördinator past die eerst aan in de app"
            ),
        )
        model_count = {
            model._meta.verbose_name_plural: len(objs)
            for model, objs in collector.model_objs.items()
        }
        return to_delete, model_count, perms_needed, protected


class ProjectAdmin(HidesPupilData, admin.ModelAdmin):
    """The base of every admin in this project (tests/regions/test_admin_delete.py)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        # A record the app edits with optimistic locking carries its version in the admin
        # too: a save over a coordinator's newer one is refused, not silently made.
        versioned = any(f.name == "version" for f in self.model._meta.concrete_fields)
        if versioned and obj is not None and "form" not in kwargs:
            if self.has_change_permission(request, obj):
                kwargs["form"] = stale_save_refused(self.form)
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        # A record saved here gets a new version: a coordinator's form loaded before this
        # save is stale and refused (regions/versioning.py), not saved over it.
        if change and hasattr(obj, "version"):
            bump_version(obj)
        super().save_model(request, obj, form, change)


def stale_save_refused(form_class):
    """`form_class` with the version the record was loaded at (hidden; named apart from
    the model's own, non-editable `version`), checked when it is saved."""

    class StaleSaveRefused(form_class):
        loaded_version = VersionField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["loaded_version"].initial = self.instance.version

        def clean(self):
            data = super().clean()
            loaded = data.get("loaded_version")
            if self.instance.pk and loaded is not None and loaded != self.instance.version:
                raise ValidationError(
                    _(
                        "Iemand anders heeft dit intussen gewijzigd. Uw wijziging is niet "
                        "opgeslagen. Open de pagina opnieuw om de huidige gegevens te zien."
                    )
                )
            return data

    StaleSaveRefused.__name__ = form_class.__name__
    return StaleSaveRefused


class ReadOnly:
    """An admin page that only shows: nothing is added, changed or deleted there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
