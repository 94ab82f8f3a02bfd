from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Concat
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.imports import clean_upload
from regions.models import (
    Gemeente,
    Institution,
    Location,
    Role,
    RoleAssignment,
    School,
    Schoolbestuur,
)
from regions.selectors import schools_in_region
from regions.versioning import VersionedForm, VersionField
from regions.widgets import DateInput, date_widgets, text_areas

from .models import (
    EARLIEST_YEAR,
    PLACEMENT_STEP,
    AccessLog,
    Arrangement,
    CheckIn,
    Consultation,
    Conversation,
    CvoBesluit,
    DutyOfCare,
    Handover,
    PlacementCase,
    Pupil,
    TargetGroup,
)
from .selectors import of_location


class AccessLogFilterForm(forms.Form):
    """Who looked at one pupil, or what one user looked at: the questions an AVG
    request or an incident asks of the access log."""

    pupil = forms.CharField(label=_("Leerlingcode"), required=False, max_length=8)
    user = forms.CharField(label=_("Gebruiker"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Handeling"),
        required=False,
        choices=[("", _("Alle handelingen")), *AccessLog.Action.choices],
    )

    def filter(self, entries):
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["pupil"]:
            entries = entries.filter(pupil__code__iexact=data["pupil"].strip())
        if data["user"]:
            name = data["user"].strip()
            entries = entries.filter(
                Q(user__username__icontains=name)
                | Q(user__first_name__icontains=name)
                | Q(user__last_name__icontains=name)
            )
        if data["action"]:
            entries = entries.filter(action=data["action"])
        return entries


class PupilFilterForm(forms.Form):
    """Filters, search and sort of the pupil list. Searching by name is for roles that
    see names, and finds only pupils whose name the user may see."""

    q = forms.CharField(label=_("Zoeken op leerlingcode"), required=False, max_length=100)
    locatie = forms.ModelChoiceField(
        label=_("(V)so-locatie"),
        required=False,
        queryset=Location.objects.none(),
        empty_label=_("Alle locaties"),
        help_text=_("Ook leerlingen met een plaatsing vanuit deze locatie."),
    )
    target_group = forms.ChoiceField(
        label=_("Doelgroep"),
        required=False,
        choices=[("", _("Alle doelgroepen")), *TargetGroup.choices],
    )
    school = forms.ModelChoiceField(
        label=_("School"),
        required=False,
        queryset=School.objects.none(),
        empty_label=_("Alle scholen"),
    )
    status = forms.ChoiceField(label=_("Plaatsing"), required=False)
    inactive = forms.BooleanField(label=_("Alleen niet-actieve leerlingen"), required=False)
    # Checked against SORTS, not validated: a crafted value is ignored, not an error.
    sorteer = forms.CharField(required=False, widget=forms.HiddenInput)

    # ?sorteer= value -> ordering; "-" in front sorts the other way.
    SORTS = {
        "code": ("code",),
        "naam": ("sort_name", "code"),
        "school": ("sort_school", "code"),
        "status": ("placement_status", "code"),
    }

    def __init__(
        self, *args, schools, locations=None, may_see_inactive=False, names=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.names = names
        self.fields["school"].queryset = schools
        if locations is None:
            del self.fields["locatie"]  # a school leader's pupils are at his school
        else:
            self.fields["locatie"].queryset = locations
        if names:
            self.fields["q"].label = _("Zoeken op leerlingcode of naam")
        if not may_see_inactive:
            # Inactive pupils open only for the coordinator.
            del self.fields["inactive"]
        self.fields["status"].choices = [
            ("", _("Alle statussen")),
            ("geen", _("geen plaatsing")),
            *PlacementCase.Status.choices,
        ]

    @property
    def wants_inactive(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data.get("inactive"))

    @property
    def sort(self) -> str:
        """The requested sort if it is a known one (names only for who sees names)."""
        value = str(self.data.get("sorteer", "") or "")
        key = value.removeprefix("-")
        if key not in self.SORTS or (key == "naam" and not self.names):
            return "code"
        return value

    def filter(self, qs):
        qs = self._order(qs)
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"]:
            text = data["q"].strip()
            found = Q(code__icontains=text)
            if self.names:
                # Only names the user may see: a hidden name is never a match.
                found |= Q(show_identity=True) & (
                    Q(first_name__icontains=text) | Q(last_name__icontains=text)
                )
            qs = qs.filter(found)
        if data.get("locatie"):
            qs = of_location(qs, data["locatie"])
        if data["target_group"]:
            qs = qs.filter(target_group=data["target_group"])
        if data["school"]:
            qs = qs.filter(current_school=data["school"])
        if data["status"] == "geen":
            qs = qs.filter(placement_status__isnull=True)
        elif data["status"]:
            qs = qs.filter(placement_status=data["status"])
        return qs

    def _order(self, qs):
        sort = self.sort
        key = sort.removeprefix("-")
        if key == "naam":
            # Hidden names sort as empty: the order may not tell them.
            qs = qs.annotate(
                sort_name=Case(
                    When(show_identity=True, then=Concat("last_name", Value(" "), "first_name")),
                    default=Value(""),
                )
            )
        elif key == "school":
            qs = qs.annotate(sort_school=Coalesce("current_school__name", "current_location__name"))
        fields = self.SORTS[key]
        if sort.startswith("-"):
            return qs.order_by(F(fields[0]).desc(nulls_last=True), *fields[1:])
        return qs.order_by(F(fields[0]).asc(nulls_last=True), *fields[1:])

    def sort_links(self) -> dict:
        """Per sortable column: the URL that sorts by it (the other way round when it is
        already sorted that way) and its aria-sort value."""
        current = self.sort
        query = QueryDict(mutable=True)
        query.update(self.data)
        query.pop("page", None)
        links = {}
        for key in self.SORTS:
            if key == "naam" and not self.names:
                continue
            if current.removeprefix("-") == key:
                aria = "descending" if current.startswith("-") else "ascending"
                query["sorteer"] = key if current.startswith("-") else f"-{key}"
            else:
                aria = ""
                query["sorteer"] = key
            links[key] = {"url": "?" + query.urlencode(), "aria_sort": aria}
        return links


class FiguresFilterForm(forms.Form):
    """Figures of one region, (v)so location or school. The choices are the user's own:
    a hand-edited or out-of-scope value makes the form invalid (the view answers 404)."""

    regio = forms.ModelChoiceField(
        label=_("Regio"), required=False, queryset=None, empty_label=_("Alle regio's")
    )
    locatie = forms.ModelChoiceField(
        label=_("(V)so-locatie"), required=False, queryset=None, empty_label=_("Alle locaties")
    )
    # Reached from a school's page (a link), not chosen here.
    school = forms.ModelChoiceField(required=False, queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, regions, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regio"].queryset = regions
        self.fields["locatie"].queryset = Location.objects.filter(region__in=regions)
        self.fields["school"].queryset = schools

    def filter(self, pupils):
        data = self.cleaned_data
        if data["regio"]:
            pupils = pupils.filter(region=data["regio"])
        if data["locatie"]:
            pupils = of_location(pupils, data["locatie"])
        if data["school"]:
            pupils = pupils.filter(current_school=data["school"])
        return pupils


class RegionScopedForm(VersionedForm):
    """Every choice limited to the pupil's region: schools, locations, municipalities,
    begeleiders, boards and the institution. A choice outside it is refused as invalid."""

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        if "institution" in self.fields:
            self.fields["institution"].queryset = self._with_current(
                "institution", Institution.objects.filter(regions=region)
            )
        if "bestuur" in self.fields:
            self.fields["bestuur"].queryset = self._with_current(
                "bestuur",
                Schoolbestuur.objects.filter(
                    pk__in=schools_in_region(region).values("bestuur_id")
                ).order_by("name"),
            )
        schools = schools_in_region(region).order_by("name")
        for name in ("current_school", "to_school", "from_school", "school"):
            if name in self.fields:
                self.fields[name].queryset = schools
        for name in ("current_location", "from_location"):
            if name in self.fields:
                self.fields[name].queryset = Location.objects.filter(region=region)
        for name in ("home_gemeente", "transport_gemeente"):
            if name in self.fields:
                self.fields[name].queryset = Gemeente.objects.filter(regions=region)
        if "begeleiders" in self.fields:
            self.fields["begeleiders"].queryset = (
                get_user_model()
                # Only roles in force: a role waiting for approval gives no pupils.
                .objects.filter(
                    pk__in=RoleAssignment.objects.in_force()
                    .filter(role=Role.BEGELEIDER, region=region)
                    .values("user_id")
                )
                .order_by("last_name", "username")
            )
            self.fields["begeleiders"].label_from_instance = lambda u: (
                u.get_full_name() or u.username
            )

    def _with_current(self, name, queryset):
        """A record made before the rule keeps its value selectable."""
        current = getattr(self.instance, f"{name}_id", None)
        if current:
            return queryset | queryset.model.objects.filter(pk=current)
        return queryset


class PupilRecordForm(RegionScopedForm):
    """A record of one pupil, saved by one user. The pupil is on the instance before
    validation, so the model's own rules (overlapping duty periods, defaults taken from
    the pupil) run once, inside the form's validation."""

    def __init__(self, *args, pupil, user, **kwargs):
        super().__init__(*args, region=pupil.region, **kwargs)
        self.pupil = pupil
        self.user = user
        self.instance.pupil = pupil
        self.adding = self.instance._state.adding

    def add_error(self, field, error):
        # A model rule about a field this form does not show is said above the form.
        if field is None and hasattr(error, "error_dict"):
            shown = {}
            for name, errors in error.error_dict.items():
                shown.setdefault(name if name in self.fields else NON_FIELD_ERRORS, []).extend(
                    errors
                )
            error = forms.ValidationError(shown)
        super().add_error(field, error)

    def save(self, commit=True):
        if hasattr(self.instance, "recorded_by_id"):
            self.instance.recorded_by = self.user  # who saved it last recorded it
        return super().save(commit)

    def success_url(self):
        return self.pupil.get_absolute_url()


class PupilForm(RegionScopedForm):
    class Meta:
        model = Pupil
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "target_group",
            "need_ngt",
            "need_hearing_technology",
            "need_speech_therapy",
            "need_other",
            "current_school",
            "current_location",
            "level",
            "year_group",
            "home_gemeente",
            "transition",
            "transition_date",
            "transition_decision",
            "diagnosis",
            "notes",
            "is_active",
        ]
        widgets = {
            **date_widgets("date_of_birth", "transition_date"),
            **text_areas("diagnosis", "notes"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].required = True
        # One message, the model's own, not Django's generic one beside it.
        self.fields["date_of_birth"].error_messages["required"] = _("Vul de geboortedatum in.")
        one_of = _("Vul de huidige school óf de (v)so-locatie in (één van beide is verplicht).")
        for name in ("current_school", "current_location"):
            self.fields[name].help_text = one_of
            self.fields[name].required_note = _("één van beide verplicht")
        self.fields["level"].help_text = _("Verplicht als de huidige school een vo-school is.")
        self.fields["level"].required_note = _("verplicht bij een vo-school")

    def full_clean(self):
        # The field and the model both say a date of birth is missing: say it once.
        super().full_clean()
        for errors in (self._errors or {}).values():
            seen, unique = set(), []
            for error in errors.as_data():
                if tuple(error.messages) not in seen:
                    seen.add(tuple(error.messages))
                    unique.append(error)
            errors.data = unique


class CvoBesluitForm(PupilRecordForm):
    class Meta:
        model = CvoBesluit
        fields = [
            "kind",
            "start",
            "end",
            "evaluation_date",
            "evaluated_on",
            "replacement_advice",
            "return_decision_on",
            "formerly_onderwijsarrangement",
            "notes",
        ]
        widgets = {
            **date_widgets("start", "end", "evaluation_date", "evaluated_on", "return_decision_on"),
            **text_areas("notes"),
        }


class ArrangementForm(PupilRecordForm):
    class Meta:
        model = Arrangement
        fields = [
            "scope",
            "setting",
            "school",
            "hours_per_week",
            "individual_share",
            "begeleiders",
            "start",
            "end",
            "notes",
        ]
        widgets = {
            **date_widgets("start", "end"),
            "begeleiders": forms.CheckboxSelectMultiple,
            **text_areas("notes"),
        }


class PlacementCaseForm(PupilRecordForm):
    class Meta:
        model = PlacementCase
        fields = [
            "from_location",
            "from_school",
            "to_school",
            "reason",
            "reason_detail",
            "expected_start",
        ]
        widgets = date_widgets("expected_start")

    def success_url(self):
        # A new placement goes on at its own page, where its steps are.
        return self.instance.get_absolute_url() if self.adding else super().success_url()


YES_NO = [("", _("nog onbekend")), ("ja", _("ja")), ("nee", _("nee"))]


def _yes_no(value):
    return {"ja": True, "nee": False}.get(value)


class PlacementStepForm(forms.Form):
    """One form per step: the view shows only the fields that step needs."""

    on = forms.DateField(label=_("Datum"), widget=DateInput())
    version = VersionField()
    to_school = forms.ModelChoiceField(
        label=_("Ontvangende school"), queryset=School.objects.none(), required=False
    )
    tlv_needed = forms.ChoiceField(label=_("TLV nodig?"), choices=YES_NO, required=False)
    tlv_payer = forms.ChoiceField(
        label=_("Wie betaalt de TLV?"),
        choices=[("", "–"), *PlacementCase.TlvPayer.choices],
        required=False,
    )
    transport_needed = forms.ChoiceField(label=_("Vervoer nodig?"), choices=YES_NO, required=False)
    transport_gemeente = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=Gemeente.objects.none(), required=False
    )
    transport_decision = forms.ChoiceField(
        label=_("Besluit van de gemeente"),
        choices=[("", "–"), *PlacementCase.TransportDecision.choices],
        required=False,
    )

    def __init__(self, *args, step, region, **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"on", "version", *PLACEMENT_STEP[step].fields}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "to_school" in self.fields:
            self.fields["to_school"].queryset = schools_in_region(region).order_by("name")
        if "transport_gemeente" in self.fields:
            self.fields["transport_gemeente"].queryset = Gemeente.objects.filter(regions=region)

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on.year < EARLIEST_YEAR:
            raise forms.ValidationError(
                _("Een datum vóór %(year)s kan niet kloppen.") % {"year": EARLIEST_YEAR}
            )
        if on > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return on

    @staticmethod
    def initial_for(case, step, today):
        """What the form shows: the step's date (today when not done) and the case's
        current answers."""
        return {
            "on": step.done_on(case) or today,
            "version": case.version,
            "to_school": case.to_school,
            "tlv_needed": {True: "ja", False: "nee"}.get(case.tlv_needed, ""),
            "tlv_payer": case.tlv_payer,
            "transport_needed": {True: "ja", False: "nee"}.get(case.transport_needed, ""),
            "transport_gemeente": case.transport_gemeente_id or case.pupil.home_gemeente_id,
            "transport_decision": case.transport_decision,
        }

    def step_data(self):
        data = dict(self.cleaned_data)
        data.pop("on")
        data.pop("version", None)
        for name in ("tlv_needed", "transport_needed"):
            if name in data:
                data[name] = _yes_no(data[name])
        return data


class DutyOfCareForm(PupilRecordForm):
    class Meta:
        model = DutyOfCare
        fields = ["holder_kind", "institution", "bestuur", "start", "end"]
        widgets = date_widgets("start", "end")


class HandoverForm(PupilRecordForm):
    class Meta:
        model = Handover
        fields = ["date", "to_whom", "opp", "reports", "conversation", "notes"]
        widgets = {**date_widgets("date"), **text_areas("notes")}

    def __init__(self, *args, placement=None, **kwargs):
        """A new handover opened from a placement page belongs to that placement and
        starts with its receiving school and enrolment date."""
        if placement:
            today = timezone.localdate()
            kwargs["initial"] = {
                "date": min(placement.enrolled_on or today, today),
                "to_whom": placement.to_school.name if placement.to_school else "",
            }
        super().__init__(*args, **kwargs)
        self.placement = placement
        if placement:
            self.instance.placement = placement

    def success_url(self):
        return self.placement.get_absolute_url() if self.placement else super().success_url()


class CheckInForm(PupilRecordForm):
    class Meta:
        model = CheckIn
        fields = ["done_on", "results", "wellbeing", "as_planned", "support_needed", "notes"]
        widgets = {
            **date_widgets("done_on"),
            **text_areas("results", "notes"),
            "as_planned": forms.NullBooleanSelect,
            "support_needed": forms.NullBooleanSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].required = True
        self.fields["wellbeing"].required = True


class ConversationForm(PupilRecordForm):
    class Meta:
        model = Conversation
        fields = ["date", "participants", "wishes", "concerns", "next_step"]
        widgets = {
            **date_widgets("date"),
            **text_areas("wishes", "concerns"),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }


class ConsultationForm(PupilRecordForm):
    class Meta:
        model = Consultation
        fields = ["date", "asked_by", "question", "advice"]
        widgets = {
            **date_widgets("date"),
            **text_areas("question", "advice"),
        }


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Bestandsformaat"), choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")]
    )
    with_names = forms.BooleanField(
        label=_("Met namen en geboortedatum"),
        required=False,
        help_text=_(
            "Alleen aanvinken als u de namen echt nodig hebt. Zonder vinkje bevat het bestand "
            "alleen leerlingcodes."
        ),
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort gegevens"))
    region = forms.ModelChoiceField(label=_("Regio"), queryset=None)
    file = forms.FileField(label=_("Bestand (CSV of XLSX)"))

    def __init__(self, *args, regions, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["kind"].choices = list(kinds.items())
        if regions.count() == 1:
            self.fields["region"].initial = regions.first()

    def clean_file(self):
        return clean_upload(
            self.cleaned_data["file"],
            endings=(".csv", ".xlsx"),
            wrong_type=_("Kies een CSV- of XLSX-bestand."),
        )
