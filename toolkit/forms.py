from django import forms
from django.utils.translation import gettext_lazy as _

from regions.widgets import DateInput, date_widgets, text_areas

from .models import (
    ActionStatus,
    Chapter,
    Cluster,
    Construction,
    CooperationType,
    Measure,
    ProgressStatus,
    RegionAction,
    RegionMeasure,
    Sector,
    ToolkitItem,
    WerkagendaLine,
)
from .services import ACTION_FIELDS, ACTION_POINT_FIELDS


def owner_choices(users):
    return [("", _("– niemand –"))] + [(str(u.pk), u.get_full_name() or u.username) for u in users]


class OwnerField(forms.TypedChoiceField):
    """Owner chosen from the region's users; choices are built once per page, not per row."""

    def __init__(self, *, users, **kwargs):
        self.users_by_pk = {u.pk: u for u in users}
        super().__init__(
            choices=owner_choices(users),
            coerce=lambda value: self.users_by_pk[int(value)],
            empty_value=None,
            required=False,
            label=_("Eigenaar"),
            **kwargs,
        )


class ItemProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    owner = forms.Field()  # replaced in __init__
    due_date = forms.DateField(label=_("Streefdatum"), required=False, widget=DateInput)
    note = forms.CharField(
        label=_("Notitie"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, users, progress=None, **kwargs):
        if progress is not None and "initial" not in kwargs and not args:
            kwargs["initial"] = initial_for_progress(progress)
        super().__init__(*args, **kwargs)
        self.fields["owner"] = OwnerField(users=users)


def initial_for_progress(progress):
    return {
        "status": progress.status,
        "owner": str(progress.owner_id or ""),
        "due_date": progress.due_date,
        "note": progress.note,
        "version": progress.version,
    }


NEEDS_ACTION = "te_doen"


class ItemFilterForm(forms.Form):
    # "Te doen" (not started or in progress, which includes everything overdue) is what a
    # coordinator opens the page for; "Alle" shows everything.
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(NEEDS_ACTION, _("Te doen")), ("", _("Alle"))] + ProgressStatus.choices,
        initial=NEEDS_ACTION,
    )
    chapter = forms.TypedChoiceField(
        label=_("Hoofdstuk"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Soort"), required=False, choices=[("", _("Alle"))] + ToolkitItem.Kind.choices
    )
    line = forms.TypedChoiceField(
        label=_("Werkagendalijn"), required=False, coerce=int, empty_value=None
    )
    owner = forms.TypedChoiceField(
        label=_("Eigenaar"), required=False, coerce=int, empty_value=None
    )
    overdue = forms.BooleanField(label=_("Alleen over de streefdatum"), required=False)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].choices = [("", _("Alle"))] + [
            (c.number, str(c)) for c in Chapter.objects.filter(items__isnull=False).distinct()
        ]
        self.fields["line"].choices = [("", _("Alle"))] + [
            (ln.number, str(ln)) for ln in WerkagendaLine.objects.all()
        ]
        self.fields["owner"].choices = [("", _("Iedereen"))] + [
            (u.pk, u.get_full_name() or u.username) for u in users
        ]


class MeasureDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Besluit"), choices=RegionMeasure.Decision.choices)
    reason = forms.CharField(
        label=_("Reden of toelichting (verplicht bij niet relevant)"),
        required=False,
        max_length=1000,
        widget=forms.TextInput,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == RegionMeasure.Decision.NOT_RELEVANT
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Geef een reden waarom deze maatregel niet relevant is."))
        return data


class ActionForm(forms.ModelForm):
    # The action point's worked-out fields sit in a <details> after the rest, so the
    # form stays short for whoever does not need them.
    template_name = "toolkit/_action_form_fields.html"
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    class Meta:
        model = RegionAction
        fields = [*ACTION_FIELDS, "schools", "swvs"]
        widgets = {
            **date_widgets("start", "deadline"),
            **text_areas(
                "goal",
                "evidence",
                *(name for name in ACTION_POINT_FIELDS if name not in ("costs", "evaluation")),
            ),
            "schools": forms.CheckboxSelectMultiple,
            "swvs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, region, users, schools, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["measure"].queryset = Measure.objects.exclude(
            level=Measure.Level.LANDELIJK
        ).select_related("line")
        self.fields["measure"].help_text = _(
            "Optioneel: de regionale maatregel of schoolsuggestie waar deze actie bij hoort."
        )
        self.fields["owner"] = OwnerField(users=users)
        if self.instance.owner_id:
            self.initial["owner"] = str(self.instance.owner_id)
        self.fields["schools"].queryset = schools
        self.fields["swvs"].queryset = region.swvs.all()
        self.fields["status"].choices = ActionStatus.choices

    def main_fields(self):
        return [f for f in self.visible_fields() if f.name not in ACTION_POINT_FIELDS]

    def action_point_fields(self):
        return [f for f in self.visible_fields() if f.name in ACTION_POINT_FIELDS]

    def action_point_open(self):
        """Open the group when it has errors or content, so nothing filled in is hidden."""
        return any(f.errors or f.value() for f in self.action_point_fields())


class ExampleFilterForm(forms.Form):
    """The practice-example library's filters; field names are the query parameters
    (`?vorm=&sector=&cluster=&constructie=`)."""

    vorm = forms.ChoiceField(label=_("Vorm"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Alle"))] + Sector.choices
    )
    cluster = forms.TypedChoiceField(
        label=_("Cluster"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Alle"))] + Cluster.choices,
    )
    constructie = forms.ChoiceField(
        label=_("Constructie"),
        required=False,
        choices=[("", _("Alle"))] + Construction.choices,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vorm"].choices = [("", _("Alle"))] + list(
            CooperationType.objects.values_list("slug", "name")
        )

    def filters(self):
        """The valid filters; a bad value is left out (its field shows the message)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
