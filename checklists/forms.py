from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.versioning import VersionField
from regions.widgets import DateInput

from .models import LINK_MAX, LONG_TEXT_MAX, SHORT_TEXT_MAX, Assignment, clean_link, clean_note


class AnswerForm(forms.Form):
    """One question: its answer, evidence (note and link) and comment. The field checks
    are the question's own (models.Question.clean), so a bad value gets a Dutch message
    next to the question and nothing of that question is saved."""

    value = forms.CharField(required=False)
    evidence_note = forms.CharField(
        label=_("Onderbouwing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": LONG_TEXT_MAX}),
    )
    evidence_link = forms.CharField(
        label=_("Link naar onderbouwing"),
        required=False,
        widget=forms.URLInput(attrs={"maxlength": LINK_MAX, "inputmode": "url"}),
    )
    comment = forms.CharField(
        label=_("Opmerking"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": LONG_TEXT_MAX}),
    )
    version = VersionField()

    def __init__(self, *args, question, **kwargs):
        self.question = question
        kwargs.setdefault("prefix", f"q-{question.key}")
        super().__init__(*args, **kwargs)
        field = self.fields["value"]
        field.label = question.text
        field.help_text = " ".join(filter(None, [question.help, str(question.bounds_hint())]))
        kind = question.type
        if kind in ("yes_partly_no", "scale"):
            field.widget = forms.RadioSelect(choices=question.choices)
        elif kind == "long_text":
            field.widget = forms.Textarea(attrs={"rows": 4, "maxlength": LONG_TEXT_MAX})
        elif kind == "short_text":
            field.widget = forms.TextInput(attrs={"maxlength": SHORT_TEXT_MAX})
        elif kind == "number":
            # Text, not type=number: a typed "twaalf" reaches the server and gets a message.
            field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
        elif kind == "date":
            field.widget = DateInput()
        elif kind == "evidence":
            del self.fields["value"]

    def clean_value(self):
        try:
            return self.question.clean(self.cleaned_data.get("value"))
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean_evidence_link(self):
        return clean_link(self.cleaned_data.get("evidence_link"))

    def clean_evidence_note(self):
        return clean_note(self.cleaned_data.get("evidence_note"), what=_("De onderbouwing"))

    def clean_comment(self):
        return clean_note(self.cleaned_data.get("comment"), what=_("De opmerking"))

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if version is None:
            raise ValidationError(_("Laad de pagina opnieuw en probeer het nog eens."))
        return version


class AssignmentFilterForm(forms.Form):
    """The checklist list's filter: ?status= (an unknown status filters nothing)."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("alle")), *Assignment.Status.choices]
    )

    def filter(self, qs):
        if self.is_valid() and self.cleaned_data["status"]:
            qs = qs.filter(status=self.cleaned_data["status"])
        return qs


class RollupFilterForm(forms.Form):
    """The roll-up's ?regio= and ?swv=, offering what the selection allows. The selection
    (selectors.get_rollup_selection) checks and applies them, answering 404 outside the
    user's regions, since the export and the next-step POST take the same parameters."""

    regio = forms.ChoiceField(label=_("Regio"), required=False)
    swv = forms.ChoiceField(label=_("Samenwerkingsverband"), required=False)

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        for name, objects in (("regio", selection.regions), ("swv", selection.swvs)):
            self.fields[name].choices = [("", _("alle")), *((o.pk, o.name) for o in objects)]


class AssignForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Checklist"), queryset=None, empty_label=_("Kies een checklist")
    )
    schools = forms.ModelMultipleChoiceField(
        label=_("Partnerscholen"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "Deze school hoort niet bij de partnerscholen van deze regio; kies alleen "
                "scholen uit de lijst."
            ),
            "invalid_pk_value": _("'%(pk)s' is geen school uit de lijst."),
            "required": _("Kies ten minste één school."),
        },
    )
    due_date = forms.DateField(label=_("In te dienen vóór"), widget=DateInput())
    message = forms.CharField(
        label=_("Bericht aan de schoolleider"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, templates, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["schools"].queryset = schools

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise ValidationError(_("Kies een datum vanaf vandaag."))
        return due


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom heropent u deze checklist?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De schoolleider ziet deze reden bij de checklist."),
    )
