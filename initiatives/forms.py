"""Forms of initiatives, agreements and transition plans."""

# --- agreements ------------------------------------------------------------------------

from django import forms  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from regions.forms import OrganisationRefForm  # noqa: E402
from regions.versioning import VersionField  # noqa: E402
from regions.widgets import DateInput, date_widgets, text_areas  # noqa: E402

from .models import AGREEMENT_TEXT_MAX, NO_TEXT, Agreement, AgreementParty  # noqa: E402

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


def _text_field(label, *, required):
    return forms.CharField(
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


class ConsentForm(forms.Form):
    parties = forms.ModelMultipleChoiceField(
        label=_("Partijen die instemden"),
        queryset=AgreementParty.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één partij.")},
    )
    agreed_on = forms.DateField(label=_("Ingestemd op"), widget=DateInput)

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = parties
        self.fields["parties"].label_from_instance = lambda party: party.name


class PartyChoiceField(forms.ChoiceField):
    """The grouped partner select. A value that is not among the choices reaches
    clean_party, which says why ("Deze partij hoort niet bij de regio."), instead of
    Django's generic "not a valid choice"."""

    def valid_value(self, value):
        return True


class AgreementPartyForm(OrganisationRefForm):
    party = PartyChoiceField(label=_("Partij"), required=False)

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


class AgreementFilterForm(forms.Form):
    regio = forms.TypedChoiceField(label=_("Regio"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle"))] + Agreement.Status.choices
    )
    onderwerp = forms.ChoiceField(
        label=_("Onderwerp"),
        required=False,
        choices=[("", _("Alle"))] + Agreement.Subject.choices,
    )
    aandacht = forms.BooleanField(label=_("Alleen wat aandacht vraagt"), required=False)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regio"].choices = [("", _("Alle"))] + [(r.pk, r.name) for r in regions]
