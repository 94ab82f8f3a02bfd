from django import forms
from django.utils.translation import gettext_lazy as _

from regions.forms import OrganisationRefForm
from regions.models import Region
from regions.versioning import VersionField
from regions.widgets import date_widgets, text_areas
from toolkit.models import CooperationType, RegionAction

from .models import HEADINGS, Initiative, InitiativePartner, InitiativeStatus

# --- initiatives ----------------------------------------------------------------------


class InitiativeFilterForm(forms.Form):
    """The list's filters, as Dutch query parameters: ?regio=, ?status=, ?vorm=, ?q=."""

    q = forms.CharField(label=_("Zoeken"), required=False, help_text=_("Naam van het initiatief"))
    regio = forms.ModelChoiceField(
        label=_("Regio"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=_("Alle regio's"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle statussen")), *InitiativeStatus.choices],
    )
    vorm = forms.ModelChoiceField(
        label=_("Samenwerkingsvorm"),
        required=False,
        queryset=CooperationType.objects.all(),
        to_field_name="slug",
        empty_label=_("Alle vormen"),
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regio"].queryset = regions
        if len(regions) <= 1:
            del self.fields["regio"]

    def filter(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data.get("q"):
            qs = qs.filter(name__icontains=data["q"].strip())
        if data.get("regio"):
            qs = qs.filter(region=data["regio"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("vorm"):
            qs = qs.filter(type=data["vorm"])
        return qs


class ActionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.line.number}. {obj.title}"


class InitiativeForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Initiative
        fields = [
            "name",
            "type",
            "construction",
            "construction_note",
            "start_date",
            "evaluation_date",
            "pupils_typed",
            "viability_minimum",
            "housing_needs",
            "transport_needs",
            "municipality",
            "municipality_contact",
            "lines",
            "actions",
            "modelled_on",
            *[name for name, _label in HEADINGS],
        ]
        widgets = {
            **date_widgets("start_date", "evaluation_date"),
            **text_areas(
                "construction_note",
                "housing_needs",
                "transport_needs",
                *[name for name, _label in HEADINGS],
            ),
            "lines": forms.CheckboxSelectMultiple,
            "actions": forms.CheckboxSelectMultiple,
        }
        field_classes = {"actions": ActionChoices}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.instance.region = region
        self.fields["municipality"].queryset = region.gemeenten.order_by("name")
        # Only the region's own actions; another region's is refused with this message.
        self.fields["actions"].queryset = RegionAction.objects.filter(region=region).select_related(
            "line"
        )
        self.fields["actions"].error_messages["invalid_choice"] = _(
            "Deze actie hoort niet bij de werkagenda van deze regio."
        )
        self.fields["municipality"].error_messages["invalid_choice"] = _(
            "Deze gemeente hoort niet bij de regio."
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class PartnerForm(OrganisationRefForm):
    """A partner of the initiative: one of the region's partners, or a typed-in name (a
    care partner); a partner outside the region is refused."""

    class Meta:
        model = InitiativePartner
        fields = ["party", "other_name", "role"]

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, region=initiative.region, **kwargs)
        self.instance.initiative = initiative
        # The select only offers the region's partners, so Django's own choice check
        # answers first for anyone else; it says what OrganisationRefForm.clean_party says.
        self.fields["party"].error_messages["invalid_choice"] = _(
            "Deze partij hoort niet bij de regio."
        )


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=InitiativeStatus.choices,
        error_messages={
            "invalid_choice": _("Het initiatief heeft deze status al; kies een andere."),
            "required": _("Kies de nieuwe status."),
        },
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Waarom verandert de status? Dit komt in de geschiedenis."),
        error_messages={"required": _("Geef een reden voor de nieuwe status.")},
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (value, label)
            for value, label in InitiativeStatus.choices
            if value != initiative.status
        ]
