"""Django admin: the functional admin keeps the toolkit and werkagenda content here.

A region's own work (progress, decisions, actions) is changed by its coordinators in
the app, where versions are checked; admin shows it read-only.
"""

from django import forms
from django.contrib import admin

from regions.admin_delete import ProjectAdmin, ReadOnly

from . import models
from .admin_fields import LinesField, LinksField


class SectionInline(admin.TabularInline):
    model = models.Section
    extra = 0


@admin.register(models.Chapter)
class ChapterAdmin(ProjectAdmin):
    list_display = ["number", "title"]
    inlines = [SectionInline]


@admin.register(models.Section)
class SectionAdmin(ProjectAdmin):
    list_display = ["number", "title", "chapter"]
    list_filter = ["chapter"]


@admin.register(models.WerkagendaLine)
class WerkagendaLineAdmin(ProjectAdmin):
    list_display = ["number", "title"]


def content_form(model, *, links=(), lines=(), widgets=None, **fields):
    """The admin form of a content model whose JSON lists are edited as text: each field in
    `links` one "label | address" a line, each in `lines` one entry a line; `fields` are
    further form fields of its own."""

    def label(name):
        return model._meta.get_field(name).verbose_name

    declared = {name: LinksField(label=label(name)) for name in links}
    declared |= {name: LinesField(label=label(name)) for name in lines}
    declared |= fields
    base = type(f"{model.__name__}Form", (forms.ModelForm,), declared)
    # The ModelAdmin picks the fields.
    return forms.modelform_factory(model, form=base, fields="__all__", widgets=widgets)


ToolkitItemForm = content_form(
    models.ToolkitItem,
    links=["links"],
    lines=["checklist"],
    widgets={"lines": forms.CheckboxSelectMultiple},
)
PracticeExampleForm = content_form(
    models.PracticeExample,
    links=["links"],
    # Fixed vocabularies kept as JSON lists on the row: checkboxes in admin.
    sectors=forms.TypedMultipleChoiceField(
        label=models.PracticeExample._meta.get_field("sectors").verbose_name,
        choices=models.Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    ),
    clusters=forms.TypedMultipleChoiceField(
        label=models.PracticeExample._meta.get_field("clusters").verbose_name,
        choices=models.Cluster.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    ),
)
MeasureForm = content_form(models.Measure, lines=["items", "actors"])


@admin.register(models.ToolkitItem)
class ToolkitItemAdmin(ProjectAdmin):
    form = ToolkitItemForm
    list_display = ["title", "kind", "chapter", "section", "order"]
    list_filter = ["kind", "chapter", "lines"]
    search_fields = ["title", "summary", "slug"]
    list_select_related = ["chapter", "section"]
    # Eight werkagenda lines: checkboxes, not Django's filter_horizontal widget (its
    # search icons carry prohibited ARIA; axe, tests/browser/test_admin.py).
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "chapter", "section", "order"]}),
        (None, {"fields": ["summary", "links", "checklist", "lines", "source"]}),
    ]


@admin.register(models.CooperationType)
class CooperationTypeAdmin(ProjectAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.PracticeExample)
class PracticeExampleAdmin(ProjectAdmin):
    form = PracticeExampleForm
    list_display = ["name", "place", "type", "construction", "source"]
    list_filter = ["type", "construction"]
    list_select_related = ["type"]
    search_fields = ["name", "place", "partners", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "place", "order", "partners", "contact_organisation"]}),
        (None, {"fields": ["type", "sectors", "clusters", "construction"]}),
        (None, {"fields": ["summary", *[name for name, _label in models.EXAMPLE_HEADINGS]]}),
        (None, {"fields": ["links", "source"]}),
    ]


@admin.register(models.Measure)
class MeasureAdmin(ProjectAdmin):
    form = MeasureForm
    list_display = ["code", "title", "line", "level"]
    list_filter = ["line", "level"]
    search_fields = ["code", "title", "goal"]
    list_select_related = ["line"]


@admin.register(models.Phase)
class PhaseAdmin(ProjectAdmin):
    list_display = ["number", "name", "start_year", "end_year"]


@admin.register(models.ReviewMoment)
class ReviewMomentAdmin(ProjectAdmin):
    list_display = ["year", "title"]


class ReadOnlyAdmin(ReadOnly, ProjectAdmin):
    """What regions fill in (progress, decisions, actions): readable in admin, changed
    only by the coordinators, so every change lands in the history."""


@admin.register(models.RegionItemProgress)
class RegionItemProgressAdmin(ReadOnlyAdmin):
    list_display = ["item", "region", "status", "owner", "due_date", "updated_at"]
    list_filter = ["status", "region"]
    list_select_related = ["item", "region", "owner"]


@admin.register(models.RegionMeasure)
class RegionMeasureAdmin(ReadOnlyAdmin):
    list_display = ["measure", "region", "decision", "updated_at"]
    list_filter = ["decision", "region"]
    list_select_related = ["measure", "region"]


@admin.register(models.RegionAction)
class RegionActionAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "line", "status", "owner", "deadline"]
    list_filter = ["status", "line", "region"]
    list_select_related = ["region", "line", "owner"]
    search_fields = ["title"]
