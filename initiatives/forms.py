from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learners.models import Pupil
from regions.forms import OrganisationRefForm
from regions.models import Region
from regions.selectors import schools_in_region
from regions.versioning import VersionField
from regions.widgets import DateInput, date_widgets, text_areas
from toolkit.models import CooperationType, RegionAction

from .compare import same_line_breaks
from .models import (
    AGREEMENT_TEXT_MAX,
    HEADINGS,
    NO_TEXT,
    Agreement,
    AgreementParty,
    AgreementVersion,
    BoardQuestion,
    CohortEntry,
    CommunicationItem,
    ExpectedEnrolment,
    Initiative,
    InitiativePartner,
    InitiativeStatus,
    InspectieEvent,
    Milestone,
    StaffDestination,
)

# --- initiatives ----------------------------------------------------------------------


class ListFilterForm(forms.Form):
    """A list's filters as Dutch query parameters; ?regio= only for users who see more
    than one region. `lookups`: which field filters which model field."""

    regio = forms.ModelChoiceField(
        label=_("Regio"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=_("Alle regio's"),
    )
    lookups = {"regio": "region"}

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regio"].queryset = regions
        if len(regions) <= 1:
            del self.fields["regio"]

    def filter(self, qs):
        if not self.is_valid():
            return qs
        for name, lookup in self.lookups.items():
            if value := self.cleaned_data.get(name):
                qs = qs.filter(**{lookup: value})
        return qs


class InitiativeFilterForm(ListFilterForm):
    """?regio=, ?status=, ?vorm=, ?q=."""

    q = forms.CharField(label=_("Zoeken"), required=False, help_text=_("Naam van het initiatief"))
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
    field_order = ["q", "regio", "status", "vorm"]
    lookups = {"q": "name__icontains", "regio": "region", "status": "status", "vorm": "type"}


class ActionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.line.number}. {obj.title}"


class ActionInitiativesForm(forms.Form):
    """The region's initiatives linked to one werkagenda action (the other side of the
    initiative form's "acties van de werkagenda")."""

    initiatives = forms.ModelMultipleChoiceField(
        label=_("Gekoppelde initiatieven"),
        queryset=Initiative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Dit initiatief hoort niet bij deze regio.")},
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiatives"].queryset = Initiative.objects.filter(
            region=action.region_id
        ).order_by("name", "pk")
        self.fields["initiatives"].initial = list(action.initiatives.values_list("pk", flat=True))


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
        self.fields["actions"].queryset = (
            RegionAction.objects.filter(region=region)
            .select_related("line")
            .order_by("line__number", "title", "pk")
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
        # No choice made for the user: the current status is left out, the rest follow
        # "Kies een status" (an empty choice, refused with "Kies de nieuwe status.").
        self.fields["to_status"].choices = [("", _("Kies een status"))] + [
            (value, label)
            for value, label in InitiativeStatus.choices
            if value != initiative.status
        ]


# --- transition plans ---


NOT_NEGATIVE = _("Een aantal kan niet negatief zijn.")


class PlanPartForm(forms.ModelForm):
    """A row of a transition plan; knows its plan so the model's rules can see it."""

    version = VersionField()

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField) and not isinstance(field, VersionField):
                field.error_messages["min_value"] = NOT_NEGATIVE


class CohortEntryForm(PlanPartForm):
    # Declared here: the default field would query pupils (scoped) when the class is made.
    pupil = forms.ModelChoiceField(label=_("leerling"), queryset=None)

    class Meta:
        model = CohortEntry
        fields = ["pupil", "outflow", "destination_school", "destination_text", "note"]
        widgets = text_areas("note")

    def __init__(self, *args, plan, pupils, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        pupil = self.fields["pupil"]
        if self.instance.pk:
            # A pupil who has left the location since keeps their row.
            pupils = Pupil.objects.filter(
                Q(pk__in=pupils.values("pk")) | Q(pk=self.instance.pupil_id)
            )
        pupil.queryset = pupils
        pupil.label_from_instance = lambda p: p.code
        pupil.error_messages["invalid_choice"] = _(
            "Deze leerling hoort niet bij het cohort van deze locatie."
        )
        if self.instance.pk:
            pupil.disabled = True
        school = self.fields["destination_school"]
        school.queryset = schools_in_region(plan.region).order_by("name")
        school.error_messages["invalid_choice"] = _("Deze school hoort niet bij de regio.")

    def clean(self):
        data = super().clean()
        pupil = data.get("pupil")
        if pupil and not self.instance.pk:
            if CohortEntry.objects.filter(plan=self.plan, pupil=pupil).exists():
                self.add_error("pupil", _("Voor deze leerling staat al een regel in het plan."))
        if data.get("destination_school") and (data.get("destination_text") or "").strip():
            self.add_error(
                "destination_text",
                _("Kies een school van de regio óf typ een andere bestemming, niet allebei."),
            )
        return data


class ExpectedEnrolmentForm(PlanPartForm):
    class Meta:
        model = ExpectedEnrolment
        fields = ["school_year", "count", "note"]

    def clean(self):
        data = super().clean()
        year = (data.get("school_year") or "").strip().replace("/", "-")
        if (
            year
            and ExpectedEnrolment.objects.filter(plan=self.plan, school_year=year)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("school_year", _("Voor dit schooljaar staat al een aantal."))
        return data


class MilestoneForm(PlanPartForm):
    class Meta:
        model = Milestone
        fields = ["kind", "title", "planned", "actual", "document"]
        widgets = date_widgets("planned", "actual")


class BoardQuestionForm(PlanPartForm):
    class Meta:
        model = BoardQuestion
        fields = ["question", "source", "answer", "status", "answer_due"]
        widgets = {**text_areas("question", "answer"), **date_widgets("answer_due")}


class CommunicationItemForm(PlanPartForm):
    class Meta:
        model = CommunicationItem
        fields = ["audience", "date", "sender", "channel", "not_before", "embargo_until", "done"]
        widgets = date_widgets("date", "embargo_until")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        others = CommunicationItem.objects.filter(plan=plan).exclude(pk=self.instance.pk)
        field = self.fields["not_before"]
        field.queryset = others
        field.error_messages["invalid_choice"] = _("Kies een andere stap van dit plan.")


class StaffDestinationForm(PlanPartForm):
    class Meta:
        model = StaffDestination
        fields = ["destination", "count"]


class InspectieEventForm(PlanPartForm):
    class Meta:
        model = InspectieEvent
        fields = ["kind", "description", "date", "deadline", "done"]
        widgets = date_widgets("date", "deadline")


# --- agreements ------------------------------------------------------------------------


AGREEMENT_FIELDS = [
    "title",
    "subject",
    "status",
    "scope_kind",
    "scope",
    "school_year",
    "payment",
    "start",
    "end",
    "open_questions",
]


class VersionTextField(forms.CharField):
    """The text of an agreement version, with the browser's CRLF line breaks as LF."""

    def to_python(self, value):
        return same_line_breaks(super().to_python(value))


def _text_field(label, *, required):
    return VersionTextField(
        label=label,
        required=required,
        max_length=AGREEMENT_TEXT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": NO_TEXT},
    )


class AgreementForm(forms.ModelForm):
    """Status, dates, scope, payment and open questions: no text (that is a version)."""

    version = VersionField()

    class Meta:
        model = Agreement
        fields = AGREEMENT_FIELDS
        widgets = {**date_widgets("start", "end"), **text_areas("open_questions")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class AgreementCreateForm(AgreementForm):
    """A new agreement with the text of its first version."""

    text = _text_field(_("Tekst van de afspraak"), required=True)
    conditions = _text_field(_("Voorwaarden"), required=False)

    class Meta(AgreementForm.Meta):
        fields = [*AGREEMENT_FIELDS[:2], "text", "conditions", *AGREEMENT_FIELDS[2:]]


class AgreementVersionForm(forms.Form):
    text = _text_field(_("Tekst van de afspraak"), required=True)
    conditions = _text_field(_("Voorwaarden"), required=False)
    note = forms.CharField(
        label=_("Wat is er veranderd"),
        required=False,
        max_length=300,
        help_text=_("Een korte toelichting, bijvoorbeeld: na overleg met het SWV."),
    )
    agreed_by = forms.ModelMultipleChoiceField(
        label=_("Ingestemd door"),
        queryset=AgreementParty.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De partijen die al met deze versie hebben ingestemd."),
    )
    agreed_on = forms.DateField(label=_("Ingestemd op"), required=False, widget=DateInput)
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_by"].queryset = parties
        self.fields["agreed_by"].label_from_instance = lambda party: party.name

    def clean_agreed_on(self):
        # The version is recorded now: a party agrees to it today, not before or after.
        agreed_on = self.cleaned_data["agreed_on"]
        error = agreed_on and AgreementVersion().consent_date_error(agreed_on)
        if error:
            raise forms.ValidationError(error)
        return agreed_on


class ConsentForm(forms.Form):
    parties = forms.ModelMultipleChoiceField(
        label=_("Partijen die instemden"),
        queryset=AgreementParty.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één partij.")},
    )
    agreed_on = forms.DateField(label=_("Ingestemd op"), widget=DateInput)

    def __init__(self, *args, parties, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["parties"].queryset = parties
        self.fields["parties"].label_from_instance = lambda party: party.name

    def clean_agreed_on(self):
        agreed_on = self.cleaned_data["agreed_on"]
        error = self.version.consent_date_error(agreed_on)
        if error:
            raise forms.ValidationError(error)
        return agreed_on


class AgreementPartyForm(OrganisationRefForm):
    class Meta:
        model = AgreementParty
        fields = ["party", "other_name", "role"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, region=agreement.region, **kwargs)
        self.agreement = agreement
        self.instance.agreement = agreement
        self.fields["other_name"].help_text = _(
            "Alleen voor een partij die niet in de regio staat, zoals OCW."
        )

    def clean(self):
        data = super().clean()
        chosen = data.get("party")
        others = self.agreement.parties.exclude(pk=self.instance.pk)
        if chosen and others.filter(**{chosen[0]: chosen[1]}).exists():
            raise forms.ValidationError(_("Deze partij staat al bij de afspraak."))
        name = (data.get("other_name") or "").strip()
        if not chosen and name and others.filter(other_name__iexact=name).exists():
            raise forms.ValidationError(_("Deze partij staat al bij de afspraak."))
        return data


class AgreementFilterForm(ListFilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle"))] + Agreement.Status.choices
    )
    onderwerp = forms.ChoiceField(
        label=_("Onderwerp"),
        required=False,
        choices=[("", _("Alle"))] + Agreement.Subject.choices,
    )
    aandacht = forms.BooleanField(label=_("Alleen wat aandacht vraagt"), required=False)
    lookups = {"regio": "region", "status": "status", "onderwerp": "subject"}

    def filter(self, qs, *, today=None):
        qs = super().filter(qs)
        if self.is_valid() and self.cleaned_data["aandacht"]:
            qs = qs.filter(Agreement.attention_q(today or timezone.localdate()))
        return qs
