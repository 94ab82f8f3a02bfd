from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .imports import clean_upload
from .models import (
    Gemeente,
    Location,
    Region,
    Samenwerkingsverband,
    School,
    Schoolbestuur,
    SchoolContact,
)
from .numbers import plain_int
from .resources import DUO_IMPORT
from .selectors import (
    boards_for,
    gemeenten_for,
    get_scope,
    link_regions,
    schools_in_region,
    swvs_for,
)
from .versioning import VersionedForm
from .widgets import date_widgets, text_areas


class RegionForm(VersionedForm):
    class Meta:
        model = Region
        fields = ["description", "swvs", "gemeenten"]
        widgets = {
            "swvs": forms.CheckboxSelectMultiple,
            "gemeenten": forms.CheckboxSelectMultiple,
        }


class RegionFilterForm(forms.Form):
    """The region list's search: by name."""

    q = forms.CharField(label=_("Zoek op naam"), required=False)
    search_fields = ("name",)

    def filter(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if q := data["q"].strip():
            found = Q()
            for field in self.search_fields:
                found |= Q(**{f"{field}__icontains": q})
            qs = qs.filter(found)
        return qs


class SwvFilterForm(RegionFilterForm):
    """The SWV list's search: by name or code, and by sector."""

    q = forms.CharField(label=_("Zoek op naam of code"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("PO en VO")), ("po", "PO"), ("vo", "VO")]
    )
    search_fields = ("name", "code")

    def filter(self, qs):
        qs = super().filter(qs)
        if self.is_valid() and self.cleaned_data["sector"]:
            qs = qs.filter(sector=self.cleaned_data["sector"])
        return qs


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, help_text=_("Naam, plaats of BRIN"))
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", _("Alle sectoren")), *School.Sector.choices],
    )
    level = forms.ChoiceField(label=_("Niveau"), required=False)
    swv = forms.ModelChoiceField(
        label=_("Samenwerkingsverband"),
        required=False,
        queryset=Samenwerkingsverband.objects.none(),
        empty_label=_("Alle samenwerkingsverbanden"),
    )
    partner = forms.ChoiceField(
        label=_("Partnerschool"),
        required=False,
        choices=[
            ("", _("Alle scholen")),
            ("ja", _("Alleen partnerscholen")),
            ("nee", _("Geen partnerschool")),
        ],
    )

    def __init__(self, *args, user, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["swv"].queryset = swvs_for(user)
        self.fields["level"].choices = [("", _("Alle niveaus"))] + [
            (lv.code, lv.name) for lv in levels
        ]

    def filter(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            qs = qs.filter(Q(name__icontains=q) | Q(place__icontains=q) | Q(brin__iexact=q[:4]))
        if data["sector"]:
            qs = qs.filter(sector=data["sector"])
        if data["level"]:
            qs = qs.filter(levels__code=data["level"])
        if data["swv"]:
            qs = qs.filter(swv=data["swv"])
        if data["partner"]:
            qs = qs.filter(is_partner=data["partner"] == "ja")
        return qs


class SchoolForm(VersionedForm):
    class Meta:
        model = School
        fields = [
            "name",
            "brin",
            "vestigingsnummer",
            "sector",
            "levels",
            "cluster",
            "street",
            "postcode",
            "place",
            "website",
            "bestuur",
            "swv",
            "gemeente",
            "is_partner",
            "acoustics",
            "low_stimulus_room",
            "accessibility",
            "building_notes",
        ]
        widgets = {"levels": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["swv"].queryset = swvs_for(user)
        self.fields["gemeente"].queryset = gemeenten_for(user)
        # Boards of the schools this user sees; a school keeps the board it has.
        boards = boards_for(user)
        if self.instance.bestuur_id:
            boards = boards | Schoolbestuur.objects.filter(pk=self.instance.bestuur_id)
        self.fields["bestuur"].queryset = boards

    def clean_brin(self):
        return self.cleaned_data["brin"].strip().upper()

    def clean(self):
        data = super().clean()
        scope = get_scope(self.user)
        if not scope.is_beheerder and not (data.get("swv") or data.get("gemeente")):
            raise forms.ValidationError(
                _(
                    "Kies een samenwerkingsverband of gemeente uit uw regio, anders valt de school "
                    "buiten uw regio."
                )
            )
        if not scope.is_beheerder:
            self._keep_in_regions(data, scope.coordinator_regions)
        return data

    def _keep_in_regions(self, data, own):
        """A coordinator may not move a school out of their regions, nor hand it to another
        region's coordinator by giving it that region's SWV or municipality."""
        swv, gemeente = data.get("swv"), data.get("gemeente")
        if (swv or gemeente) and not link_regions(swv=swv, gemeente=gemeente) & own:
            raise forms.ValidationError(
                _("Met dit samenwerkingsverband en deze gemeente valt de school buiten uw regio.")
            )
        for name, value in (("swv", swv), ("gemeente", gemeente)):
            if not value or value.pk == getattr(self.instance, f"{name}_id"):
                continue
            theirs = link_regions(**{name: value})
            if theirs and not theirs & own:
                self.add_error(
                    name,
                    _(
                        "Dit hoort bij een andere regio; alleen de functioneel beheerder kan een "
                        "school naar een andere regio verplaatsen."
                    ),
                )


class SuitabilityForm(VersionedForm):
    class Meta:
        model = School
        fields = ["acoustics", "low_stimulus_room", "accessibility", "building_notes"]
        widgets = text_areas("building_notes")


class ContactForm(forms.ModelForm):
    class Meta:
        model = SchoolContact
        fields = ["name", "role", "email", "phone"]


class SwvForm(VersionedForm):
    class Meta:
        model = Samenwerkingsverband
        fields = [
            "code",
            "name",
            "sector",
            "allocation_model",
            "stance_on_ad",
            "street",
            "postcode",
            "place",
            "website",
            "notes",
        ]

    def clean_code(self):
        from .models import normalise_swv_code

        return normalise_swv_code(self.cleaned_data["code"])


class GemeenteForm(VersionedForm):
    class Meta:
        model = Gemeente
        fields = ["name", "code", "transport_policy"]


class LocationForm(VersionedForm):
    class Meta:
        model = Location
        fields = ["name", "place", "kind", "status", "phase_out_from", "closing_date", "notes"]
        widgets = {
            **date_widgets("phase_out_from", "closing_date"),
        }


class ImportForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Regio"),
        queryset=Region.objects.none(),
        help_text=_(
            "Alleen scholen en samenwerkingsverbanden van deze regio worden gewijzigd; nieuwe "
            "samenwerkingsverbanden worden aan de regio gekoppeld."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Soort bestand"),
        choices=list(DUO_IMPORT.kinds.items()),
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("CSV-bestand van DUO"),
        help_text=_(
            "Gescheiden door ; of , en in UTF-8 of windows-1252, met de kolomnamen van DUO."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = get_scope(user)
        self.fields["region"].queryset = Region.objects.filter(pk__in=scope.coordinator_regions)
        if scope.is_beheerder:
            # The functional admin loads national files; a region is optional.
            self.fields["region"].required = False
            self.fields["region"].queryset = Region.objects.all()
            self.fields["region"].empty_label = _("Geen: het hele land")
        elif len(scope.coordinator_regions) == 1:
            self.fields["region"].initial = next(iter(scope.coordinator_regions))

    def clean_file(self):
        return clean_upload(
            self.cleaned_data["file"],
            endings=(".csv", ".txt"),
            wrong_type=_("Kies een CSV-bestand (.csv)."),
        )


def region_partners(region) -> dict:
    """The partners of `region` a party row may name, per kind (OrganisationRef.KINDS)."""
    schools = schools_in_region(region).order_by("name")
    return {
        "school": schools,
        "bestuur": Schoolbestuur.objects.filter(pk__in=schools.values("bestuur_id")).order_by(
            "name"
        ),
        "swv": region.swvs.order_by("code"),
        "gemeente": region.gemeenten.order_by("name"),
    }


class OrganisationRefForm(forms.ModelForm):
    """Form base for a party row (regions.models.OrganisationRef): one grouped select of
    the region's partners ("school:12") or a typed-in name. A partner outside the region is
    refused with a message, never saved. Pass `region=`; subclasses add their own fields
    to Meta.fields after "party" and "other_name"."""

    # Django's own choice check runs before clean_party: give it the region message.
    party = forms.ChoiceField(
        label=_("Partij"),
        required=False,
        error_messages={"invalid_choice": _("Deze partij hoort niet bij de regio.")},
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.partners = region_partners(region)
        groups = {
            "school": _("Scholen"),
            "bestuur": _("Schoolbesturen"),
            "swv": _("Samenwerkingsverbanden"),
            "gemeente": _("Gemeenten"),
        }
        self.fields["party"].choices = [("", _("Een andere partij (typ de naam)"))] + [
            (groups[kind], [(f"{kind}:{obj.pk}", str(obj)) for obj in queryset])
            for kind, queryset in self.partners.items()
        ]
        organisation = self.instance.organisation if self.instance.pk else None
        if organisation is not None:
            kind = next(k for k in self.instance.KINDS if getattr(self.instance, f"{k}_id"))
            self.initial["party"] = f"{kind}:{organisation.pk}"

    def clean_party(self):
        value = self.cleaned_data["party"]
        if not value:
            return None
        kind, _sep, pk = value.partition(":")
        if kind not in self.partners:
            raise forms.ValidationError(_("Kies een partij uit de lijst."))
        number = plain_int(pk)
        found = self.partners[kind].filter(pk=number).first() if number is not None else None
        if found is None:
            raise forms.ValidationError(_("Deze partij hoort niet bij de regio."))
        return kind, found

    def _post_clean(self):
        # Put the chosen partner on the instance before the model's clean() checks it.
        chosen = self.cleaned_data.get("party")
        for kind in self.instance.KINDS:
            setattr(self.instance, kind, chosen[1] if chosen and chosen[0] == kind else None)
        super()._post_clean()
