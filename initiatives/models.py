"""Cooperation between cluster 2 and regular education in a region: initiatives,
agreements with SWVs, boards, municipalities and OCW, and the transition plan of a (v)so
location that is phasing out or closing."""

import re
from datetime import date
from datetime import date as _date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from learners.models import Pupil
from regions.models import Location, OrganisationRef, RegionBound, School
from regions.validators import plausible_date
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
    start_date = models.DateField(
        _("startdatum"), null=True, blank=True, validators=[plausible_date]
    )
    evaluation_date = models.DateField(
        _("geplande evaluatiedatum"), null=True, blank=True, validators=[plausible_date]
    )
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


# --- transition plans ---
# The plan of a (v)so location that is phasing out or closing: its cohort, the enrolments
# that will not come, governance milestones, the regional boards' questions, communication,
# staff destinations and Inspectie events (seed 001, the Auris closures, lines 2504-3535).


# Cohort pupils still without a confirmed place are late once fewer months than this remain
# until the closing date: a place needs a receiving school, a TLV from the SWV and pupil
# transport from the municipality, and in the Auris closure 11 pupils still had no place
# eight months before the closing date, which took OCW to resolve (seed 001, L3402-3425).
PLACE_WARNING_MONTHS = 9


def is_school_year(text: str) -> bool:
    """Two consecutive years in ASCII digits: "2027-2028"."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{4})", text)
    return bool(match) and int(match[2]) == int(match[1]) + 1


def months_between(start: date, end: date) -> int:
    """Whole months from `start` until `end` (0 once `end` has passed)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


class TransitionPlan(RegionBound):
    """One per (v)so location that is phasing out or closed; its region is the location's."""

    location = models.OneToOneField(
        Location,
        on_delete=models.PROTECT,
        related_name="transition_plan",
        verbose_name=_("locatie"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["location__closing_date", "location__name"]
        verbose_name = _("transitieplan")
        verbose_name_plural = _("transitieplannen")

    def __str__(self):
        return str(_("Transitieplan %(location)s") % {"location": self.location.name})

    def get_absolute_url(self):
        return reverse("initiatives:transition_detail", args=[self.pk])

    def clean(self):
        location = self.location
        if location.region_id is None:
            raise ValidationError(
                _("Deze locatie hoort bij geen regio; koppel haar eerst aan een regio.")
            )
        if location.status == Location.Status.OPEN:
            raise ValidationError(
                _(
                    "Een transitieplan is er alleen voor een locatie in afbouw of gesloten; "
                    "deze locatie is open."
                )
            )
        self.region_id = location.region_id

    def save(self, *args, **kwargs):
        self.region_id = self.location.region_id
        super().save(*args, **kwargs)

    def months_left(self, today: date):
        closing = self.location.closing_date
        return months_between(today, closing) if closing else None


class PlanPart(RegionBound):
    """A row of a transition plan; its region is the plan's."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.region_id = self.plan.region_id
        super().save(*args, **kwargs)


class CohortEntry(models.Model):
    """What the plan says about one pupil of the location. Pupil data: scoped like the
    learners' records and audited with its free text masked."""

    class Outflow(models.TextChoices):
        NATURAL = "natuurlijke-uitstroom", _("natuurlijke uitstroom")
        PLACEMENT = "plaatsing-nodig", _("plaatsing nodig")

    plan = models.ForeignKey(
        TransitionPlan, on_delete=models.CASCADE, related_name="cohort", verbose_name=_("plan")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="+", verbose_name=_("leerling")
    )
    outflow = models.CharField(_("uitstroom"), max_length=25, choices=Outflow)
    destination_school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verwachte school"),
    )
    destination_text = models.CharField(
        _("verwachte bestemming (tekst)"),
        max_length=200,
        blank=True,
        help_text=_("Als de bestemming geen school van de regio is, bijvoorbeeld mbo of werk."),
    )
    note = models.TextField(_("notitie"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="pupil__region")

    class Meta:
        ordering = ["pupil__code"]
        verbose_name = _("cohortleerling")
        verbose_name_plural = _("cohort")
        constraints = [
            models.UniqueConstraint(fields=["plan", "pupil"], name="cohort_entry_once_per_pupil")
        ]

    def __str__(self):
        return self.pupil.code

    def get_additional_data(self):
        # Like the learners' records: not "region", whose feed managers read.
        return {"pupil_region": self.pupil.region_id}


class ExpectedEnrolment(PlanPart):
    """Pupils who would have enrolled at the location in a school year, and now will not."""

    plan = models.ForeignKey(
        TransitionPlan,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("plan"),
    )
    school_year = models.CharField(
        _("schooljaar"), max_length=9, help_text=_("Bijvoorbeeld 2027-2028.")
    )
    count = models.PositiveIntegerField(_("verwacht aantal aanmeldingen dat niet komt"))
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        ordering = ["school_year"]
        verbose_name = _("aanmeldingen die niet komen")
        verbose_name_plural = _("aanmeldingen die niet komen")
        constraints = [
            models.UniqueConstraint(fields=["plan", "school_year"], name="enrolment_once_per_year")
        ]

    def __str__(self):
        return f"{self.school_year}: {self.count}"

    def clean(self):
        year = (self.school_year or "").strip().replace("/", "-")
        if not is_school_year(year):
            raise ValidationError(
                {
                    "school_year": _(
                        "Schrijf het schooljaar als twee opeenvolgende jaren: 2027-2028."
                    )
                }
            )
        self.school_year = year


class Milestone(PlanPart):
    class Kind(models.TextChoices):
        EXPLORATION = "verkenning", _("verkenning met alle swv's en partners")
        PLAN = "plan", _("plan")
        MR = "mr", _("MR-advies en -instemming")
        SUPERVISORY = "raad-van-toezicht", _("goedkeuring raad van toezicht")
        DECISION = "bestuursbesluit", _("bestuursbesluit")
        NOTICE = "melding", _("melding aan Inspectie en OCW")
        OTHER = "anders", _("anders")

    # The board decides only after the MR consented and the supervisory board approved
    # (WMS, statutes); seed 001 L3320-3336: MR 1 Jul, RvT 19 Aug, RvB 3 Sep 2024.
    MUST_PRECEDE = {Kind.DECISION: (Kind.MR, Kind.SUPERVISORY)}

    plan = models.ForeignKey(
        TransitionPlan,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("plan"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind)
    title = models.CharField(_("omschrijving"), max_length=200, blank=True)
    planned = models.DateField(_("gepland"), null=True, blank=True, validators=[plausible_date])
    actual = models.DateField(_("gedaan op"), null=True, blank=True, validators=[plausible_date])
    document = models.CharField(
        _("document"),
        max_length=300,
        blank=True,
        help_text=_("Verwijzing naar het stuk, bijvoorbeeld een kenmerk of vindplaats."),
    )

    class Meta:
        ordering = ["planned", "pk"]
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")

    def __str__(self):
        return self.title or self.get_kind_display()

    @property
    def label(self):
        return self.title or self.get_kind_display()

    @property
    def when(self):
        return self.actual or self.planned

    def is_late(self, today: date) -> bool:
        return bool(self.planned and self.planned < today and not self.actual)

    def clean(self):
        errors = {}
        if self.kind == self.Kind.OTHER and not (self.title or "").strip():
            errors["title"] = _("Geef een mijlpaal van de soort 'anders' een omschrijving.")
        if self.actual and self.actual > timezone.localdate():
            errors["actual"] = _(
                "'Gedaan op' kan niet in de toekomst liggen; vul dan 'gepland' in."
            )
        if errors:
            raise ValidationError(errors)
        before = self.MUST_PRECEDE.get(self.kind)
        if before and self.when and self.plan_id:
            for earlier in Milestone.objects.filter(plan_id=self.plan_id, kind__in=before):
                if earlier.when and earlier.when > self.when:
                    raise ValidationError(
                        _(
                            "Het bestuursbesluit kan niet vóór '%(step)s' (%(date)s) vallen: "
                            "het bestuur besluit na de instemming van de MR en de goedkeuring "
                            "van de raad van toezicht."
                        )
                        % {
                            "step": earlier.get_kind_display(),
                            "date": earlier.when.strftime("%d-%m-%Y"),
                        }
                    )


class BoardQuestion(PlanPart):
    """A question the regional boards asked of the closure, and how the plan answers it."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "beantwoord", _("beantwoord")

    plan = models.ForeignKey(
        TransitionPlan,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("plan"),
    )
    question = models.TextField(_("vraag"), max_length=2000)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    answer = models.TextField(_("antwoord"), max_length=5000, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)
    answer_due = models.DateField(
        _("antwoord uiterlijk"), null=True, blank=True, validators=[plausible_date]
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("vraag van de regio")
        verbose_name_plural = _("vragen van de regio")

    def __str__(self):
        return self.question[:80]

    def is_late(self, today: date) -> bool:
        return bool(self.status == self.Status.OPEN and self.answer_due and self.answer_due < today)

    def clean(self):
        if self.status == self.Status.ANSWERED and not (self.answer or "").strip():
            raise ValidationError(
                {"answer": _("Een beantwoorde vraag heeft een antwoord; vul het antwoord in.")}
            )


class CommunicationItem(PlanPart):
    """Who hears what, when, from whom; an embargo keeps the press after the partners."""

    plan = models.ForeignKey(
        TransitionPlan,
        on_delete=models.CASCADE,
        related_name="communication",
        verbose_name=_("plan"),
    )
    audience = models.CharField(_("doelgroep"), max_length=200)
    date = models.DateField(_("datum"), validators=[plausible_date])
    sender = models.CharField(_("afzender"), max_length=200, blank=True)
    channel = models.CharField(_("kanaal"), max_length=200, blank=True)
    not_before = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("niet vóór"),
        help_text=_("Deze stap gebeurt pas als die andere stap gedaan is."),
    )
    embargo_until = models.DateField(
        _("embargo tot"),
        null=True,
        blank=True,
        help_text=_("Niets naar buiten vóór deze datum."),
        validators=[plausible_date],
    )
    done = models.BooleanField(_("gedaan"), default=False)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("communicatiestap")
        verbose_name_plural = _("communicatieplan")

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.audience}"

    def is_late(self, today: date) -> bool:
        return self.date < today and not self.done

    def clean(self):
        errors = {}
        if self.embargo_until and self.date and self.date < self.embargo_until:
            errors["date"] = _("De datum valt vóór het einde van het embargo (%(date)s).") % {
                "date": self.embargo_until.strftime("%d-%m-%Y")
            }
        first = self.not_before
        if first is not None:
            if first.plan_id != self.plan_id or (self.pk and first.pk == self.pk):
                errors["not_before"] = _("Kies een andere stap van dit plan.")
            elif self.date and first.date > self.date:
                errors["not_before"] = _(
                    "Deze stap staat gepland vóór '%(first)s' (%(date)s), die eerst moet."
                ) % {"first": first.audience, "date": first.date.strftime("%d-%m-%Y")}
            elif self.done and not first.done:
                errors["done"] = _("Eerst moet '%(first)s' gedaan zijn.") % {
                    "first": first.audience
                }
        if errors:
            raise ValidationError(errors)


class StaffDestination(PlanPart):
    """Where the location's staff go: counts only, no names."""

    plan = models.ForeignKey(
        TransitionPlan,
        on_delete=models.CASCADE,
        related_name="staff",
        verbose_name=_("plan"),
    )
    destination = models.CharField(_("bestemming"), max_length=200)
    count = models.PositiveIntegerField(_("aantal medewerkers"))

    class Meta:
        ordering = ["destination"]
        verbose_name = _("bestemming personeel")
        verbose_name_plural = _("bestemmingen personeel")

    def __str__(self):
        return f"{self.destination}: {self.count}"


class InspectieEvent(PlanPart):
    class Kind(models.TextChoices):
        VISIT = "bezoek", _("bezoek")
        INVESTIGATION = "onderzoek", _("onderzoek")
        REPAIR = "herstelopdracht", _("herstelopdracht")
        PROGRESS = "voortgangsgesprek", _("voortgangsgesprek")
        BOARD = "bestuursgesprek", _("bestuursgesprek")
        OTHER = "anders", _("anders")

    plan = models.ForeignKey(
        TransitionPlan,
        on_delete=models.CASCADE,
        related_name="inspectie",
        verbose_name=_("plan"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind)
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    date = models.DateField(_("datum"), validators=[plausible_date])
    deadline = models.DateField(_("termijn"), null=True, blank=True, validators=[plausible_date])
    done = models.BooleanField(_("afgerond"), default=False)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("Inspectie-gebeurtenis")
        verbose_name_plural = _("Inspectie")

    def __str__(self):
        return self.description or self.get_kind_display()

    def is_late(self, today: date) -> bool:
        return bool(self.deadline and self.deadline < today and not self.done)

    def clean(self):
        if self.date and self.deadline and self.deadline < self.date:
            raise ValidationError({"deadline": _("De termijn valt vóór de datum.")})


# --- agreements ------------------------------------------------------------------------


AGREEMENT_TEXT_MAX = 10000  # a written-out agreement is longer than a note (5000)
ATTENTION_ENDING_MONTHS = 3
ATTENTION_DRAFT_MONTHS = 2
NO_TEXT = _("Een versie zonder tekst kan niet worden vastgelegd.")


def add_months(day: _date, months: int) -> _date:
    """The same day `months` later (or earlier), or the month's last day (31 Jan + 1 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


class Agreement(RegionBound):
    """An agreement of the region with SWVs, boards, municipalities or OCW. Its text and
    conditions live only in its numbered versions (AgreementVersion): the current text is
    the latest version, so there is never a second copy that could drift."""

    class Subject(models.TextChoices):
        TLV = "tlv-vergoeding", _("TLV-vergoeding")
        ONE_OFF = "eenmalige-bekostiging", _("eenmalige bekostiging")
        STRUCTURAL = "structurele-bekostiging", _("structurele bekostiging")
        AD_TERMS = "ad-voorwaarden", _("voorwaarden ambulante dienstverlening")
        STAFF = "personeel", _("personeel")
        HOUSING = "huisvesting", _("huisvesting")
        TRANSPORT = "vervoer", _("vervoer")
        PILOT = "pilot", _("pilot")

    class Status(models.TextChoices):
        DRAFT = "concept", _("concept")
        AGREED = "afgesproken", _("afgesproken")
        SIGNED = "ondertekend", _("ondertekend")
        DISPUTED = "betwist", _("betwist")
        ENDED = "beeindigd", _("beëindigd")

    class ScopeKind(models.TextChoices):
        PUPILS = "leerlingen", _("bepaalde leerlingen")
        COHORT = "cohort", _("een cohort")
        SCHOOL_YEAR = "schooljaar", _("een schooljaar")
        ONGOING = "doorlopend", _("doorlopend")

    title = models.CharField(_("titel"), max_length=200)
    subject = models.CharField(_("onderwerp"), max_length=30, choices=Subject.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # When the status last changed: "draft for more than 2 months" counts from here, so an
    # agreement moved back to draft is new work again, not an old one.
    status_since = models.DateField(
        _("status sinds"), default=timezone.localdate, editable=False, validators=[plausible_date]
    )
    scope_kind = models.CharField(
        _("reikwijdte"), max_length=20, choices=ScopeKind.choices, default=ScopeKind.SCHOOL_YEAR
    )
    scope = models.CharField(
        _("voor wie"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld: de leerlingen met TOS in klas 1 en 2 van Het Baken College."),
    )
    school_year = models.CharField(
        _("schooljaar"), max_length=9, blank=True, help_text=_("Bijvoorbeeld 2026-2027.")
    )
    payment = models.CharField(
        _("wijze van betalen"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld: per leerling per kwartaal, op factuur aan het SWV."),
    )
    start = models.DateField(_("begindatum"), null=True, blank=True, validators=[plausible_date])
    end = models.DateField(_("einddatum"), null=True, blank=True, validators=[plausible_date])
    open_questions = models.TextField(_("open vragen"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gt=models.F("start")),
                name="agreement_end_after_start",
            )
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._loaded_status = obj.__dict__.get("status")
        return obj

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_status", None)
        if loaded is not None and loaded != self.status:
            self.status_since = timezone.localdate()
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def get_absolute_url(self):
        return reverse("initiatives:agreement_detail", args=[self.pk])

    def attention_reasons(self, today) -> list:
        """Why this agreement needs attention on `today` (empty: it does not). The same
        rules as `attention_q`, for one agreement in memory."""
        reasons = []
        if self.status == self.Status.DISPUTED:
            reasons.append(_("betwist"))
        if self.end and self.status != self.Status.ENDED:
            if self.end < today:
                reasons.append(_("einddatum verstreken, niet beëindigd"))
            elif self.end <= add_months(today, ATTENTION_ENDING_MONTHS):
                reasons.append(_("loopt binnen 3 maanden af"))
        if self.status == self.Status.DRAFT and self.status_since < add_months(
            today, -ATTENTION_DRAFT_MONTHS
        ):
            reasons.append(_("al meer dan 2 maanden concept"))
        return [str(reason) for reason in reasons]

    @classmethod
    def attention_q(cls, today) -> models.Q:
        """Agreements that need attention on `today`: disputed, ending within 3 months
        (or past their end date and not ended), or draft for more than 2 months."""
        return (
            models.Q(status=cls.Status.DISPUTED)
            | (
                models.Q(end__lte=add_months(today, ATTENTION_ENDING_MONTHS))
                & ~models.Q(status=cls.Status.ENDED)
            )
            | models.Q(
                status=cls.Status.DRAFT,
                status_since__lt=add_months(today, -ATTENTION_DRAFT_MONTHS),
            )
        )

    def clean(self):
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("De einddatum moet na de begindatum liggen.")
        year = (self.school_year or "").strip()
        if year:
            if not is_school_year(year):
                errors["school_year"] = _(
                    "Schrijf het schooljaar als twee opeenvolgende jaren, bijvoorbeeld 2026-2027."
                )
        self.school_year = year
        if errors:
            raise ValidationError(errors)


class AgreementParty(OrganisationRef):
    """One party to an agreement: a partner of the region or a typed name (OCW)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("afspraak")
    )
    role = models.CharField(
        _("rol"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: betaalt, levert personeel, ondertekent namens het bestuur."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("partij bij een afspraak")
        verbose_name_plural = _("partijen bij afspraken")

    def get_additional_data(self):
        # The agreement's history finds its parties, also after one was removed.
        return {"region": self.agreement.region_id, "agreement": self.agreement_id}


class AgreementVersion(models.Model):
    """One numbered text of an agreement as it was recorded. A version is never changed
    or deleted (save and delete refuse it): a changed text is a new version."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="versions", verbose_name=_("afspraak")
    )
    number = models.PositiveIntegerField(_("versie"))
    text = models.TextField(_("tekst van de afspraak"), max_length=AGREEMENT_TEXT_MAX)
    conditions = models.TextField(_("voorwaarden"), max_length=AGREEMENT_TEXT_MAX, blank=True)
    note = models.CharField(
        _("wat is er veranderd"),
        max_length=300,
        blank=True,
        help_text=_("Een korte toelichting op deze versie, bijvoorbeeld: na overleg met het SWV."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    agreed_by = models.ManyToManyField(
        AgreementParty,
        through="AgreementConsent",
        related_name="agreed_versions",
        verbose_name=_("ingestemd door"),
        blank=True,
    )

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("versie van een afspraak")
        verbose_name_plural = _("versies van afspraken")
        constraints = [
            # The net under the lock in services.add_version: two saves never share a number.
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_version_unique_number"
            ),
            models.CheckConstraint(condition=~models.Q(text=""), name="agreement_version_text"),
        ]

    def __str__(self):
        return _("versie %(n)s") % {"n": self.number}

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Een vastgelegde versie verandert niet; leg een nieuwe vast."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Een vastgelegde versie wordt niet verwijderd."))

    def clean(self):
        if not (self.text or "").strip():
            raise ValidationError({"text": NO_TEXT})

    def consent_date_error(self, agreed_on, today=None):
        """Why a party cannot have agreed to this version on `agreed_on` (None: it can):
        not in the future, and not before the version was recorded (an unsaved version is
        recorded today)."""
        today = today or timezone.localdate()
        recorded_on = timezone.localdate(self.recorded_at) if self.pk else today
        if agreed_on > today:
            return _("De datum van instemming ligt na vandaag.")
        if agreed_on < recorded_on:
            return _(
                "De datum van instemming ligt vóór %(date)s, de dag waarop deze versie is "
                "vastgelegd."
            ) % {"date": recorded_on.strftime("%d-%m-%Y")}
        return None

    def get_additional_data(self):
        return {"region": self.agreement.region_id, "agreement": self.agreement_id}


class AgreementConsent(models.Model):
    """A party agreed to one version (on a date). A party that agreed to a version stays
    on the agreement (PROTECT), so the record of who agreed to what never shrinks."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="consents")
    party = models.ForeignKey(AgreementParty, on_delete=models.PROTECT, related_name="consents")
    agreed_on = models.DateField(
        _("ingestemd op"), default=timezone.localdate, validators=[plausible_date]
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("instemming")
        verbose_name_plural = _("instemmingen")
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="agreement_consent_once")
        ]

    def __str__(self):
        return f"{self.party} · {self.version}"

    def clean(self):
        if self.party.agreement_id != self.version.agreement_id:
            raise ValidationError(_("Deze partij hoort niet bij deze afspraak."))
        error = self.version.consent_date_error(self.agreed_on)
        if error:
            raise ValidationError({"agreed_on": error})

    def get_additional_data(self):
        agreement = self.party.agreement
        return {"region": agreement.region_id, "agreement": agreement.pk}
