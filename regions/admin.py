"""Django admin for the functional admin (beheerder): partners, content, users and roles.

What the web admin can never do, for anyone, superusers included: grant staff or
superuser status, groups or permissions, set another user's password (all on the
command line, docs/deploy.md), give oneself a role, or show pupil records.
"""

from auditlog.admin import LogEntryAdmin as AuditlogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    """Roles for others only: a beheerder who could give himself a coordinator role
    would reach pupil data. Every change is in the audit trail and shown to the
    coordinators of the region (regions.selectors.role_changes)."""

    list_display = ["user", "role", "institution", "region", "school"]
    list_filter = ["role", "institution"]
    search_fields = ["user__username"]
    autocomplete_fields = ["school"]
    list_select_related = ["user", "institution", "region", "school"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.user_id == request.user.pk:
            return False
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and obj.user_id == request.user.pk and request.method == "GET":
            messages.warning(request, _("Uw eigen rollen kunt u niet wijzigen."))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)

        class NotForYourself(base):
            def clean(self):
                cleaned = super().clean()
                if cleaned.get("user") == request.user:
                    self.add_error(
                        "user",
                        _("U kunt uzelf geen rol geven. Vraag dit aan een andere beheerder."),
                    )
                return cleaned

        return NotForYourself


# --- users: no escalation from the web ----------------------------------------------

User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)

# Set on the command line only (manage.py create_beheerder, changepassword).
USER_FIELDS_FROM_COMMAND_LINE = ["is_staff", "is_superuser", "groups"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts: names, e-mail and active/inactive. No password field and no
    user_permissions; staff, superuser and groups are shown, never changed."""

    fieldsets = [
        (None, {"fields": ["username"]}),
        (gettext_lazy("Persoonlijke gegevens"), {"fields": ["first_name", "last_name", "email"]}),
        (gettext_lazy("Toegang"), {"fields": ["is_active", *USER_FIELDS_FROM_COMMAND_LINE]}),
        (gettext_lazy("Belangrijke datums"), {"fields": ["last_login", "date_joined"]}),
    ]
    filter_horizontal = []

    def get_readonly_fields(self, request, obj=None):
        # The same for everyone: a superuser's web session escalates nothing either.
        return [*USER_FIELDS_FROM_COMMAND_LINE, "last_login", "date_joined"]

    def user_change_password(self, request, id, form_url=""):
        if str(request.user.pk) == str(id):
            return redirect("admin:password_change")
        messages.error(
            request,
            _(
                "Het wachtwoord van een andere gebruiker wijzigt u niet via de website. "
                "Dat kan alleen op de opdrachtregel: manage.py changepassword <gebruikersnaam>."
            ),
        )
        return redirect("admin:auth_user_changelist")


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """Groups carry admin permissions, so they are set on the command line only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- audit trail: never pupil records ------------------------------------------------

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(AuditlogEntryAdmin):
    """Pupil records are read in the app only, where every look is in the access log;
    their audit entries stay out of the admin, for superusers too."""

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(content_type__app_label="learners")
