"""Admin for the data owners. The functional admin group gets no learners permissions
(see regions.demo.ADMIN_APPS): pupil data is kept in the app, where access is logged."""

from django.contrib import admin

from . import models


class PupilChildInline(admin.TabularInline):
    extra = 0


class CvoInline(PupilChildInline):
    model = models.CvoBesluit


class PlacementInline(PupilChildInline):
    model = models.PlacementCase
    fields = ["from_location", "to_school", "reason", "status"]
    readonly_fields = ["status"]


@admin.register(models.Pupil)
class PupilAdmin(admin.ModelAdmin):
    list_display = ["code", "region", "target_group", "current_school", "is_active"]
    list_filter = ["region", "target_group", "is_active"]
    search_fields = ["code"]
    list_select_related = ["region", "current_school"]
    inlines = [CvoInline, PlacementInline]


@admin.register(models.Arrangement)
class ArrangementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "scope", "setting", "hours_per_week", "start", "end"]
    list_filter = ["region", "scope", "setting"]
    filter_horizontal = ["begeleiders"]
    raw_id_fields = ["pupil", "school"]


@admin.register(models.AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "pupil", "region", "detail"]
    list_filter = ["action", "region"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
