from django.contrib import admin

from . import models


@admin.register(models.Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "institution"]
    list_filter = ["institution"]
    search_fields = ["name"]
    filter_horizontal = ["swvs", "gemeenten"]


@admin.register(models.Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "institution", "region", "status", "closing_date"]
    list_filter = ["status", "institution"]


@admin.register(models.Samenwerkingsverband)
class SwvAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sector", "allocation_model", "stance_on_ad"]
    list_filter = ["sector", "allocation_model", "stance_on_ad"]
    search_fields = ["code", "name"]


@admin.register(models.Gemeente)
class GemeenteAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(models.Schoolbestuur)
class BestuurAdmin(admin.ModelAdmin):
    list_display = ["name", "number"]
    search_fields = ["name", "number"]


@admin.register(models.Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


class ContactInline(admin.TabularInline):
    model = models.SchoolContact
    extra = 0


@admin.register(models.School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "brin", "vestigingsnummer", "sector", "place", "swv", "is_partner"]
    list_filter = ["sector", "is_partner", "swv"]
    search_fields = ["name", "brin", "place"]
    list_select_related = ["swv"]
    autocomplete_fields = ["swv", "gemeente", "bestuur"]
    inlines = [ContactInline]


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "institution", "region", "school"]
    list_filter = ["role", "institution"]
    search_fields = ["user__username"]
    autocomplete_fields = ["school"]
    list_select_related = ["user", "institution", "region", "school"]
