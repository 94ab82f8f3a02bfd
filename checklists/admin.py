"""Django admin: the functional admin edits a checklist template as its JSON document (the
format of checklists/content/, see loader.py) and publishes it as a new version. Published
versions are read-only: responses keep the version they were filled in on."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regions.admin_delete import ProjectAdmin, ReadOnly

from . import loader, models


class ContentField(forms.CharField):
    """The template document as indented JSON in a textarea; a malformed document gets a
    Dutch message with the line and the key it is about."""

    widget = forms.Textarea(attrs={"rows": 30, "cols": 100, "class": "vLargeTextField"})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        origin = str(_("de inhoud"))
        try:
            data = loader.parse_document(value or "", origin)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("Dit is geen geldige JSON (regel %(line)d, kolom %(col)d): %(msg)s")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ) from None
        loader.validate_document(data, origin)
        return data


class ChecklistTemplateForm(forms.ModelForm):
    content = ContentField(
        label=_("Inhoud (concept)"),
        help_text=_(
            "Het hele sjabloon als JSON, in het formaat van checklists/content/. Opslaan "
            "bewaart het concept; kies daarna in de lijst de actie 'Publiceren' om er een "
            "nieuwe versie van te maken. Houd de key van een vraag gelijk als de vraag "
            "blijft: zo worden rondes vergeleken."
        ),
    )

    class Meta:
        model = models.ChecklistTemplate
        fields = ["content"]

    def clean_content(self):
        data = self.cleaned_data["content"]
        others = models.ChecklistTemplate.objects.filter(slug=data.get("slug"))
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            if data.get("slug") != self.instance.slug:
                raise ValidationError(
                    _("De slug van een bestaand sjabloon blijft '%(slug)s'.")
                    % {"slug": self.instance.slug}
                )
        if others.exists():
            raise ValidationError(_("Er is al een sjabloon met de slug '%(slug)s'.") % data)
        return data

    def save(self, commit=True):
        self.instance.take_header_from_content()
        return super().save(commit)


class TemplateVersionInline(ReadOnly, admin.TabularInline):
    model = models.TemplateVersion
    fields = ["number", "published_at", "published_by", "source"]
    readonly_fields = fields
    extra = 0
    ordering = ["-number"]


@admin.action(description=_("Publiceren als nieuwe versie"))
def publish(modeladmin, request, queryset):
    for template in queryset:
        version = loader.publish(template, by=request.user)
        if version:
            modeladmin.message_user(
                request,
                _("%(title)s: versie %(n)d gepubliceerd.")
                % {"title": template, "n": version.number},
                messages.SUCCESS,
            )
        else:
            modeladmin.message_user(
                request,
                _("%(title)s: geen wijzigingen sinds de laatste versie.") % {"title": template},
                messages.WARNING,
            )


@admin.register(models.ChecklistTemplate)
class ChecklistTemplateAdmin(ProjectAdmin):
    form = ChecklistTemplateForm
    list_display = ["title", "slug", "audience", "latest_number", "updated_at"]
    readonly_fields = ["slug", "title", "audience"]
    fields = ["slug", "title", "audience", "content"]
    inlines = [TemplateVersionInline]
    actions = [publish]

    @admin.display(description=_("laatste versie"))
    def latest_number(self, obj):
        version = obj.latest_version()
        return version.number if version else "–"

    def has_delete_permission(self, request, obj=None):
        # Versions are kept for the responses filled in on them.
        return False
