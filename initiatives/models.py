"""Cooperation between cluster 2 and regular education in a region: initiatives,
agreements with SWVs, boards, municipalities and OCW, and the transition plan of a (v)so
location that is phasing out or closing."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import OrganisationRef, RegionBound
from toolkit.models import (
    Construction,
    CooperationType,
    PracticeExample,
    RegionAction,
    WerkagendaLine,
)

TEXT_MAX = 5000

# --- initiatives ---------------------------------------------------------------------


class InitiativeStatus(models.TextChoices):
    IDEA = "idee", _("idee")
    EXPLORING = "verkenning", _("verkenning")
    PREPARING = "voorbereiding", _("in voorbereiding")
    ACTIVE = "actief", _("actief")
    EVALUATED = "geevalueerd", _("geëvalueerd")
    STOPPED = "gestopt", _("gestopt")


# The fixed headings the practice examples use (field name, label), in their order.
HEADINGS = (
    ("aanleiding", _("Aanleiding")),
    ("doelen", _("Doelen")),
    ("praktijk", _("Praktijk")),
    ("leerlingen", _("Leerlingen")),
    ("ouders", _("Ouders")),
    ("team", _("Team")),
    ("uitdagingen", _("Uitdagingen")),
    ("opbrengsten", _("Opbrengsten")),
    ("toekomst", _("Toekomst")),
)


def _heading_field(label):
    return models.TextField(label, blank=True, max_length=TEXT_MAX)


class Initiative(RegionBound):
    """A cooperation between a cluster 2 institution and regular education in a region.
    Its status moves only through initiatives.services.move_status (with a reason, in the
    history)."""

    Status = InitiativeStatus

    name = models.CharField(_("naam"), max_length=200)
    type = models.ForeignKey(
        CooperationType,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("samenwerkingsvorm"),
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status, default=Status.IDEA, editable=False
    )
    construction = models.CharField(
        _("juridische of financiële constructie"),
        max_length=30,
        choices=Construction,
        blank=True,
    )
    construction_note = models.TextField(
        _("toelichting op de constructie"), blank=True, max_length=TEXT_MAX
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    evaluation_date = models.DateField(_("geplande evaluatiedatum"), null=True, blank=True)
    pupils_typed = models.IntegerField(
        _("aantal cluster 2-leerlingen nu (ingevuld)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("Een aantal leerlingen kan niet onder nul liggen."))],
        help_text=_("Zoals u het weet; waar leerlinggegevens zijn, telt de app ook zelf."),
    )
    viability_minimum = models.IntegerField(
        _("minimum om levensvatbaar te blijven"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, _("Het minimum aantal leerlingen kan niet onder nul liggen."))
        ],
        help_text=_("Het aantal cluster 2-leerlingen dat nodig is om door te gaan."),
    )
    housing_needs = models.TextField(
        _("huisvesting: wat is nodig"), blank=True, max_length=TEXT_MAX
    )
    transport_needs = models.TextField(
        _("leerlingenvervoer: wat is nodig"), blank=True, max_length=TEXT_MAX
    )
    municipality = models.ForeignKey(
        "regions.Gemeente",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente (huisvesting en vervoer)"),
    )
    municipality_contact = models.CharField(
        _("wie bij de gemeente"),
        max_length=200,
        blank=True,
        help_text=_("Wie bij de gemeente huisvesting en vervoer behandelt (functie of afdeling)."),
    )
    lines = models.ManyToManyField(
        WerkagendaLine, blank=True, related_name="initiatives", verbose_name=_("werkagendalijnen")
    )
    actions = models.ManyToManyField(
        RegionAction,
        blank=True,
        related_name="initiatives",
        verbose_name=_("acties van de werkagenda"),
    )
    modelled_on = models.ForeignKey(
        PracticeExample,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("naar het voorbeeld van"),
    )
    aanleiding = _heading_field(_("aanleiding"))
    doelen = _heading_field(_("doelen"))
    praktijk = _heading_field(_("praktijk"))
    leerlingen = _heading_field(_("leerlingen"))
    ouders = _heading_field(_("ouders"))
    team = _heading_field(_("team"))
    uitdagingen = _heading_field(_("uitdagingen"))
    opbrengsten = _heading_field(_("opbrengsten"))
    toekomst = _heading_field(_("toekomst"))
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("initiatief")
        verbose_name_plural = _("initiatieven")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(viability_minimum__gte=0)
                | models.Q(viability_minimum__isnull=True),
                name="initiative_minimum_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(pupils_typed__gte=0) | models.Q(pupils_typed__isnull=True),
                name="initiative_pupils_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiatives:initiative_detail", args=[self.pk])

    @property
    def headings(self):
        """(label, text) of the fixed headings that are filled in."""
        return [(label, getattr(self, name)) for name, label in HEADINGS if getattr(self, name)]

    def below_minimum(self, count) -> bool:
        return (
            count is not None
            and self.viability_minimum is not None
            and (count < self.viability_minimum)
        )

    @property
    def typed_below_minimum(self) -> bool:
        return self.below_minimum(self.pupils_typed)

    def clean(self):
        errors = {}
        if self.start_date and self.evaluation_date and self.evaluation_date < self.start_date:
            errors["evaluation_date"] = _("De evaluatiedatum ligt vóór de startdatum.")
        if (
            self.municipality_id
            and self.region_id
            and not self.region.gemeenten.filter(pk=self.municipality_id).exists()
        ):
            errors["municipality"] = _("Deze gemeente hoort niet bij de regio.")
        if errors:
            raise ValidationError(errors)


class InitiativePartner(OrganisationRef):
    """A party to an initiative, with its role; a care partner is a typed-in name."""

    class Role(models.TextChoices):
        PARTNER_SCHOOL = "partnerschool", _("partnerschool")
        BOARD = "schoolbestuur", _("schoolbestuur")
        SWV = "samenwerkingsverband", _("samenwerkingsverband")
        MUNICIPALITY = "gemeente", _("gemeente")
        CARE = "zorgpartner", _("zorgpartner")
        OTHER = "anders", _("anders")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="partners", verbose_name=_("initiatief")
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("partner van een initiatief")
        verbose_name_plural = _("partners van een initiatief")

    def get_additional_data(self):
        return {"region": self.initiative.region_id}

    def clean(self):
        super().clean()
        if self.role == self.Role.PARTNER_SCHOOL and not self.school_id:
            raise ValidationError(
                {"role": _("Een partnerschool is een school uit de regio; kies die als partij.")}
            )
        if self.initiative_id and self.organisation is not None:
            kind = next(k for k in self.KINDS if getattr(self, f"{k}_id"))
            twice = InitiativePartner.objects.filter(
                initiative_id=self.initiative_id, **{f"{kind}_id": getattr(self, f"{kind}_id")}
            ).exclude(pk=self.pk)
            if twice.exists():
                raise ValidationError(_("Deze partij staat al bij het initiatief."))


class StatusChange(models.Model):
    """One move of an initiative's status: who, when and why (never edited)."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("initiatief"),
    )
    from_status = models.CharField(
        _("van status"), max_length=15, choices=InitiativeStatus, blank=True
    )
    to_status = models.CharField(_("naar status"), max_length=15, choices=InitiativeStatus)
    reason = models.TextField(_("reden"), max_length=1000)
    # PROTECT: accounts are deactivated, never deleted, so who moved it stays on record.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")

    def __str__(self):
        return (
            f"{self.initiative}: {self.get_from_status_display()} → {self.get_to_status_display()}"
        )

    def get_additional_data(self):
        return {"region": self.initiative.region_id}
