"""Django admin for the functional admin (beheerder): partners, content, users and roles.

What the web admin can never do, for anyone, superusers included: grant staff or
superuser status, groups or permissions, set another user's password (all on the
command line, docs/deploy.md), give oneself a role, or show pupil records (delete
pages included: regions.admin_delete).
"""

from auditlog.admin import LogEntryAdmin as AuditlogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import models, pupil_data, two_factor
from .admin_delete import HidesPupilData, ProjectAdmin, ReadOnly
from .auth import duplicate_username_message, username_taken
from .selectors import get_scope
from .services import approve_role

# Names the autocomplete boxes for screen readers (axe, tests/browser/test_admin.py).
SELECT2_NAMES = "admin_extra/select2-names.js"
APPROVAL_FIELDS = ["granted_by", "approved_by", "approved_at"]
GRANT_FORM_FIELDS = {"user", "role", "institution", "region", "school"}


def warn_pending(request):
    messages.warning(
        request,
        _(
            "De rol geldt pas als een andere beheerder of een AD-coördinator van de "
            "regio hem goedkeurt."
        ),
    )


def display_name(user):
    return user.get_full_name() or user.get_username()


@admin.register(models.Institution)
class InstitutionAdmin(ProjectAdmin):
    list_display = ["name", "website"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Region)
class RegionAdmin(ProjectAdmin):
    list_display = ["name", "institution"]
    list_filter = ["institution"]
    search_fields = ["name"]
    filter_horizontal = ["swvs", "gemeenten"]


@admin.register(models.Location)
class LocationAdmin(ProjectAdmin):
    list_display = ["name", "place", "institution", "region", "status", "closing_date"]
    list_filter = ["status", "institution"]


@admin.register(models.Samenwerkingsverband)
class SwvAdmin(ProjectAdmin):
    list_display = ["code", "name", "sector", "allocation_model", "stance_on_ad"]
    list_filter = ["sector", "allocation_model", "stance_on_ad"]
    search_fields = ["code", "name"]


@admin.register(models.Gemeente)
class GemeenteAdmin(ProjectAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(models.Schoolbestuur)
class BestuurAdmin(ProjectAdmin):
    list_display = ["name", "number"]
    search_fields = ["name", "number"]


@admin.register(models.Level)
class LevelAdmin(ProjectAdmin):
    list_display = ["name", "code", "order"]


class ContactInline(admin.StackedInline):
    # Stacked, not tabular: the tabular inline has an empty column header and fields
    # labelled only by their column (axe, tests/browser/test_admin.py).

    model = models.SchoolContact
    extra = 0


@admin.register(models.School)
class SchoolAdmin(ProjectAdmin):
    list_display = ["name", "brin", "vestigingsnummer", "sector", "place", "swv", "is_partner"]
    list_filter = ["sector", "is_partner", "swv"]
    search_fields = ["name", "brin", "place"]
    list_select_related = ["swv"]
    autocomplete_fields = ["swv", "gemeente", "bestuur"]
    inlines = [ContactInline]

    class Media:
        js = [SELECT2_NAMES]


class PendingFilter(admin.SimpleListFilter):
    title = gettext_lazy("goedkeuring")
    parameter_name = "goedkeuring"

    def lookups(self, request, model_admin):
        return [
            ("wacht", gettext_lazy("wacht op goedkeuring")),
            ("geldt", gettext_lazy("geldt")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "wacht":
            moved = [role.pk for role in models.RoleAssignment.objects.moved_school_roles()]
            return queryset.filter(
                Q(pk__in=models.RoleAssignment.objects.pending()) | Q(pk__in=moved)
            )
        if self.value() == "geldt":
            return queryset.in_force()
        return queryset


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(ProjectAdmin):
    """Roles for others only: a beheerder who could give himself a coordinator role
    would reach pupil data. Every change is in the audit trail and shown to the
    coordinators of the region (regions.selectors.role_changes).

    Four eyes: a role that opens pupil records (or the beheerder role) given or changed
    here waits until another beheerder approves it (action "Goedkeuren") or a
    coordinator of the region does in the app; otherwise a beheerder could make an
    account, give it a coordinator role and log in as it."""

    list_display = ["user", "role", "institution", "region", "school", "approval_state"]
    list_filter = [PendingFilter, "role", "institution"]
    search_fields = ["user__username"]
    autocomplete_fields = ["school"]
    list_select_related = ["user", "institution", "region", "school", "granted_by", "approved_by"]

    class Media:
        js = [SELECT2_NAMES]

    fields = ["user", "role", "institution", "region", "school", *APPROVAL_FIELDS]
    readonly_fields = APPROVAL_FIELDS
    actions = ["approve"]

    @admin.display(description=gettext_lazy("goedkeuring"))
    def approval_state(self, obj):
        if obj.is_pending:
            return _("wacht op goedkeuring")
        if obj.school_moved:
            return _("wacht op goedkeuring: school is naar een andere regio verhuisd")
        if not obj.needs_approval:
            return _("geen goedkeuring nodig")
        if obj.approved_by:
            return _("goedgekeurd door %(name)s") % {"name": display_name(obj.approved_by)}
        return _("goedgekeurd (opdrachtregel of installatie)")

    @admin.action(description=gettext_lazy("Goedkeuren"), permissions=["change"])
    def approve(self, request, queryset):
        scope = get_scope(request.user)
        approved, refused = 0, []
        for assignment in queryset.select_related("user"):
            if not assignment.awaits_approval():
                continue
            if scope.can_approve_role(assignment):
                approve_role(assignment, by=request.user)
                approved += 1
            else:
                refused.append(str(assignment.user))
        if approved:
            messages.success(
                request,
                ngettext("%(n)d rol goedgekeurd.", "%(n)d rollen goedgekeurd.", approved)
                % {"n": approved},
            )
        if refused:
            messages.error(
                request,
                _(
                    "Niet goedgekeurd: %(users)s. Een rol keurt een andere beheerder goed "
                    "dan wie hem gaf, en nooit de gebruiker zelf."
                )
                % {"users": get_text_list(refused, _("en"))},
            )
        if not approved and not refused:
            messages.info(request, _("Geen van deze rollen wacht op goedkeuring."))

    def save_model(self, request, obj, form, change):
        if not change or GRANT_FORM_FIELDS & set(form.changed_data):
            # A new grant by this beheerder; the model drops an earlier approval.
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
        if obj.is_pending:
            warn_pending(request)

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


class RoleFormSet(BaseInlineFormSet):
    def clean(self):
        """The same role twice on the page: a Dutch error, not the database's refusal
        (Django checks the partial unique constraints per row, not between rows)."""
        super().clean()
        names = ("role", "institution", "region", "school")
        # Roles already stored that this page does not change count too: a forged POST can
        # leave the stored row out and add it again as new.
        on_page = {form.instance.pk for form in self.forms if form.instance.pk}
        seen = {
            tuple(row)
            for row in models.RoleAssignment.objects.filter(user=self.instance)
            .exclude(pk__in=on_page)
            .values_list("role", "institution", "region", "school")
        }
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("role"):
                continue
            key = tuple(getattr(data.get(name), "pk", data.get(name)) for name in names)
            if key in seen:
                raise ValidationError(_("Deze gebruiker heeft deze rol al."))
            seen.add(key)


class RoleAssignmentInline(admin.StackedInline):
    """A user's roles on the user's page, under the same rules as RoleAssignmentAdmin:
    read-only on one's own page, approval fields never editable, `granted_by` set by
    UserAdmin.save_formset; changing a role drops its approval (RoleAssignment.save)."""

    model = models.RoleAssignment
    formset = RoleFormSet
    fk_name = "user"
    extra = 0
    fields = ["role", "institution", "region", "school", *APPROVAL_FIELDS]
    readonly_fields = APPROVAL_FIELDS
    autocomplete_fields = ["school"]

    class Media:
        js = [SELECT2_NAMES]

    verbose_name_plural = gettext_lazy("rollen")

    def _is_own_page(self, request, obj):
        return obj is not None and obj.pk == request.user.pk

    def has_add_permission(self, request, obj=None):
        return not self._is_own_page(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._is_own_page(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._is_own_page(request, obj) and super().has_delete_permission(request, obj)


class UserForm(UserChangeForm):
    def clean_username(self):
        """Renaming "bea" to "Ben" when "ben" exists: refused, as on the add page (Django's
        own check there), since logging in ignores case (regions.auth)."""
        username = self.cleaned_data.get("username")
        existing = username and username_taken(username, exclude_pk=self.instance.pk)
        if existing:
            raise ValidationError(duplicate_username_message(existing))
        return username


@admin.register(User)
class UserAdmin(HidesPupilData, BaseUserAdmin):
    """Accounts: names, e-mail and active/inactive. No password field and no
    user_permissions; staff, superuser and groups are shown, never changed. Roles are
    edited here too (RoleAssignmentInline)."""

    inlines = [RoleAssignmentInline]
    form = UserForm
    actions = ["reset_two_factor"]

    @admin.action(
        description=gettext_lazy("Tweestapsverificatie opnieuw laten instellen"),
        permissions=["change"],
    )
    def reset_two_factor(self, request, queryset):
        """Phone lost: the user's app and recovery codes go; at the next login he sets
        up a new app. Logged in the user's history and the audit trail."""
        reset = 0
        for user in queryset:
            # Never one's own (that would undo the second factor with the password
            # alone), nor a superuser's unless a superuser asks.
            if user.pk == request.user.pk or (user.is_superuser and not request.user.is_superuser):
                messages.error(
                    request,
                    _(
                        "De tweestapsverificatie van %(user)s kan alleen een andere superuser "
                        "wissen."
                    )
                    % {"user": user.get_username()}
                    if user.is_superuser and user.pk != request.user.pk
                    else _("Uw eigen tweestapsverificatie kunt u hier niet wissen."),
                )
                continue
            if two_factor.reset_two_factor(user):
                self.log_change(
                    request, user, _("Tweestapsverificatie gewist (opnieuw instellen).")
                )
                reset += 1
        messages.success(
            request,
            ngettext(
                "Tweestapsverificatie gewist voor %(n)d gebruiker; bij de volgende keer "
                "inloggen stelt hij of zij die opnieuw in.",
                "Tweestapsverificatie gewist voor %(n)d gebruikers; bij de volgende keer "
                "inloggen stellen zij die opnieuw in.",
                reset,
            )
            % {"n": reset},
        )

    def get_inline_instances(self, request, obj=None):
        # The add page only makes the account; roles follow on its change page.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not models.RoleAssignment:
            return super().save_formset(request, form, formset, change)
        if form.instance.pk == request.user.pk:
            # Never a role for oneself, also not through a forged form (the inline is
            # read-only there already).
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return None
        for role_form in formset.forms:
            if role_form in formset.deleted_forms or not role_form.has_changed():
                continue
            if role_form.instance.pk is None or GRANT_FORM_FIELDS & set(role_form.changed_data):
                role_form.instance.granted_by = request.user
        super().save_formset(request, form, formset, change)
        if any(
            role.is_pending
            for role in formset.new_objects + [o for o, _f in formset.changed_objects]
        ):
            warn_pending(request)
        return None

    fieldsets = [
        (None, {"fields": ["username"]}),
        (gettext_lazy("Persoonlijke gegevens"), {"fields": ["first_name", "last_name", "email"]}),
        (gettext_lazy("Toegang"), {"fields": ["is_active", *USER_FIELDS_FROM_COMMAND_LINE]}),
        (gettext_lazy("Belangrijke datums"), {"fields": ["last_login", "date_joined"]}),
    ]
    filter_horizontal = []

    def has_delete_permission(self, request, obj=None):
        # Deleting an account would silently take him out of pupils' arrangements and
        # erase who granted or approved roles: deactivate him instead (is_active).
        return False

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
class GroupAdmin(ReadOnly, HidesPupilData, BaseGroupAdmin):
    """Groups carry admin permissions, so they are set on the command line only."""


# 2FA devices hold secrets: not shown in the admin; a reset is the action on the user.
for _otp_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_otp_model):
        admin.site.unregister(_otp_model)


# --- audit trail: never pupil records ------------------------------------------------

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(HidesPupilData, AuditlogEntryAdmin):
    """Pupil records are read in the app only, where every look is in the access log;
    their audit entries stay out of the admin, for superusers too."""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .exclude(content_type__in=pupil_data.pupil_data_content_types())
        )
