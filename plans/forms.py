from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from regions.versioning import VersionField
from toolkit.models import Phase, RegionAction

from .models import Goal, Outcome

TEXT_MAX = 5000


class PlanTextForm(forms.Form):
    """One text of the plan (a section's introduction or conclusion, the pressures)."""

    text = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Platte tekst: een witregel begint een nieuwe alinea, een regel die begint met "
            "'- ' wordt een opsommingsteken."
        ),
    )
    version = VersionField()

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class GoalForm(forms.ModelForm):
    """A goal of the region; its actions and initiatives only from the same region (a
    pk of another region is not among the choices, so it is a form error)."""

    version = VersionField()

    class Meta:
        model = Goal
        fields = ["phase", "title", "description", "order", "actions", "initiatives"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.CheckboxSelectMultiple,
            "initiatives": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.all()
        # A position in a short list; a larger number overflows PostgreSQL's smallint.
        self.fields["order"].validators.append(MaxValueValidator(999))
        self.fields["order"].widget.attrs["max"] = 999
        self.fields["actions"].queryset = RegionAction.objects.filter(region=region).order_by(
            "line__number", "title"
        )
        self.fields["initiatives"].queryset = Initiative.objects.filter(region=region).order_by(
            "name"
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["text", "status"]


class BaseOutcomeFormSet(forms.BaseInlineFormSet):
    """Three empty rows for a new goal, one more when a goal is edited."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra = 1 if self.instance.pk else 3


OutcomeFormSet = forms.inlineformset_factory(
    Goal,
    Outcome,
    form=OutcomeForm,
    formset=BaseOutcomeFormSet,
    extra=3,
    max_num=20,
    validate_max=True,
    can_delete=True,
)
