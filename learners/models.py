"""Cluster 2 pupils and everything that keeps them in view when they move.

A pupil is known everywhere by a pseudonymous code. Name and date of birth are
stored for the coordinator and the assigned begeleider only; `__str__` returns the
code so names never reach audit entries, exports or e-mails by accident.
"""

import calendar
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from regions.models import Gemeente, Institution, Level, Location, Region, School, Schoolbestuur

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: codes are read aloud
DEFAULT_CHECKIN_MONTHS = (3, 14, 26)
RETURN_TRANSFER_DAYS = 8 * 7  # the legal maximum after a return decision
TEXT_MAX = 5000  # notes, diagnosis, wishes: room for a page of text, not for a file
EARLIEST_YEAR = 1990  # no pupil of today was born, nor any record of theirs dated, before
MAX_HOURS_PER_WEEK = 40
DEFAULT_CVO_MAX_YEARS = 5


def cvo_max_years():
    return getattr(settings, "CVO_MAX_YEARS", DEFAULT_CVO_MAX_YEARS)


# Decisions and arrangements are planned ahead, but not further than a school year.
MAX_LEAD_DAYS = 365


def too_far_ahead(day) -> bool:
    return bool(day) and day > timezone.localdate() + timedelta(days=MAX_LEAD_DAYS)


def too_far_ahead_message():
    return _("Deze datum ligt meer dan een jaar in de toekomst.")


def impossible_values(instance, past_only=()) -> dict:
    """Field errors for values that cannot be right, whatever the form or import:
    a date before 1990 (year 0001 included), a date in `past_only` that lies in the
    future, a text longer than its field's max_length (TextField's own max_length is
    checked by forms only)."""
    errors = {}
    today = timezone.localdate()
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if value in (None, ""):
            continue
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            if value.year < EARLIEST_YEAR:
                errors[field.name] = _("Een datum vóór %(year)s kan niet kloppen.") % {
                    "year": EARLIEST_YEAR
                }
            elif field.name in past_only and value > today:
                errors[field.name] = _("Deze datum ligt in de toekomst.")
        elif isinstance(field, models.TextField) and field.max_length:
            if len(value) > field.max_length:
                errors[field.name] = _(
                    "Deze tekst is te lang: ten hoogste %(max)s tekens, nu %(n)s."
                ) % {"max": field.max_length, "n": len(value)}
    return errors


def checkin_months():
    return tuple(getattr(settings, "CHECKIN_MONTHS", DEFAULT_CHECKIN_MONTHS))


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def new_pupil_code() -> str:
    return "LL-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))


class TargetGroup(models.TextChoices):
    TOS = "tos", _("TOS")
    DSH = "dsh", _("D/SH")
    CMB = "cmb", _("CMB")
    DOOFBLIND = "doofblind", _("doofblind")
    OTHER = "anders", _("anders")


class Pupil(models.Model):
    class Transition(models.TextChoices):
        PO_VO = "po-vo", _("po naar vo")
        SO_VO = "so-vo", _("so naar vo")
        VSO_REGULAR = "vso-regulier", _("vso naar regulier onderwijs")
        VO_MBO = "vo-mbo", _("vo naar mbo")

    class TransitionDecision(models.TextChoices):
        CONTINUE = "doorgaan", _("ondersteuning loopt door")
        SCALE_DOWN = "afschalen", _("ondersteuning wordt afgeschaald")
        STOP = "stoppen", _("ondersteuning stopt")

    code = models.CharField(_("leerlingcode"), max_length=8, unique=True, editable=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="pupils", verbose_name=_("regio")
    )
    first_name = models.CharField(_("voornaam"), max_length=80, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=120, blank=True)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    target_group = models.CharField(_("doelgroep"), max_length=10, choices=TargetGroup)
    need_ngt = models.BooleanField(_("NGT of tolk"), default=False)
    need_hearing_technology = models.BooleanField(_("hoortechnologie"), default=False)
    need_speech_therapy = models.BooleanField(_("logopedie"), default=False)
    need_other = models.CharField(_("andere behoefte"), max_length=200, blank=True)
    # Every link from pupil data to a partner (school, location, level, gemeente,
    # institution, bestuur) is PROTECT: deleting the partner in admin would otherwise
    # clear it in one bulk update, unseen, unaudited. The coordinator moves pupils first.
    current_school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pupils",
        verbose_name=_("huidige school"),
    )
    current_location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pupils",
        verbose_name=_("huidige (v)so-locatie"),
    )
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("niveau")
    )
    year_group = models.PositiveSmallIntegerField(_("leerjaar"), null=True, blank=True)
    home_gemeente = models.ForeignKey(
        Gemeente,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("woongemeente"),
    )
    transition = models.CharField(
        _("overgangsmoment"), max_length=15, choices=Transition, blank=True
    )
    transition_date = models.DateField(_("datum overgang"), null=True, blank=True)
    transition_decision = models.CharField(
        _("besluit over ondersteuning na de overgang"),
        max_length=10,
        choices=TransitionDecision,
        blank=True,
    )
    diagnosis = models.TextField(
        _("diagnose en onderzoeksgegevens"), max_length=TEXT_MAX, blank=True
    )
    notes = models.TextField(_("notities"), max_length=TEXT_MAX, blank=True)
    is_active = models.BooleanField(
        _("actief"), default=True, help_text=_("Uit als de leerling cluster 2 heeft verlaten.")
    )
    # The day the pupil left the region's care: retention (RETENTION["pupil"]) counts from
    # it. Set by save() on every path (form, import, admin, services), never by hand.
    inactive_since = models.DateField(
        _("niet meer actief sinds"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking (regions/versioning.py): a form loaded before the last save is refused.
    version = models.PositiveIntegerField(default=0, editable=False)

    # The net under every selector: outside a scope (see learners.middleware) a query
    # raises ScopeError instead of returning every region's pupils.
    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["code"]
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        if not self.code:
            code = new_pupil_code()
            # Codes are unique nationally, not just within the current scope.
            while Pupil.objects.with_scopes_disabled().filter(code=code).exists():
                code = new_pupil_code()  # pragma: no cover - 32**5 codes
            self.code = code
        self._track_inactive_since(kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("learners:pupil_detail", args=[self.code])

    def _track_inactive_since(self, kwargs):
        """Start the retention clock when the pupil leaves, stop it when they come back."""
        if self.is_active:
            changed = self.inactive_since is not None
            self.inactive_since = None
        else:
            changed = self.inactive_since is None
            if changed:
                self.inactive_since = timezone.localdate()
        if changed and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "inactive_since"}

    def get_additional_data(self):
        # Not "region": the shared recent-changes feed is read by managers and every
        # begeleider of the region, who may not see pupil-level activity.
        return {"pupil_region": self.region_id}

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def needs(self):
        labels = []
        if self.need_ngt:
            labels.append(_("NGT of tolk"))
        if self.need_hearing_technology:
            labels.append(_("hoortechnologie"))
        if self.need_speech_therapy:
            labels.append(_("logopedie"))
        if self.need_other:
            labels.append(self.need_other)
        return labels

    def clean(self):
        errors = impossible_values(self, past_only=("date_of_birth",))
        if not self.date_of_birth:
            errors.setdefault("date_of_birth", _("Vul de geboortedatum in."))
        if self.transition and not self.transition_date:
            errors.setdefault("transition_date", _("Vul de datum van het overgangsmoment in."))
        if (
            self.current_school_id
            and self.current_school.sector == School.Sector.VO
            and not self.level_id
        ):
            errors.setdefault("level", _("Vul het niveau in: de leerling zit op een vo-school."))
        if errors:
            raise ValidationError(errors)
        if self.current_location_id and self.current_school_id:
            raise ValidationError(_("Kies een huidige school óf een (v)so-locatie, niet allebei."))
        if not self.current_location_id and not self.current_school_id:
            raise ValidationError(
                _("Vul de huidige school of de (v)so-locatie van de leerling in.")
            )


class PupilRecord(models.Model):
    """Something that belongs to one pupil, and so to the pupil's region."""

    # Dates that record something that happened, so cannot lie in the future.
    PAST_ONLY = ("date",)

    # Optimistic locking (regions/versioning.py): a form loaded before the last save is refused.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedManager(region="pupil__region")

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pupil.code}"

    def get_additional_data(self):
        return {"pupil_region": self.pupil.region_id}

    def clean(self):
        super().clean()
        # Conversations, handovers and advice are recorded after they happened.
        errors = impossible_values(self, past_only=self.PAST_ONLY)
        if errors:
            raise ValidationError(errors)


class RecordedPupilRecord(PupilRecord):
    """A pupil record written by a person (check-ins, conversations, advice)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )

    class Meta:
        abstract = True


class CvoBesluit(PupilRecord):
    """A decision of the Commissie van Onderzoek. Consultatie en advies needs none."""

    class Kind(models.TextChoices):
        ONDERWIJS = "onderwijs", _("onderwijsarrangement")
        ONDERSTEUNING = "ondersteuning", _("ondersteuningsarrangement")

    class Advice(models.TextChoices):
        STAY = "blijven", _("blijft in dit arrangement")
        RETURN = "terugplaatsing", _("terugplaatsing naar regulier onderwijs")
        OTHER_SPECIAL = "andere-so", _("plaatsing op een andere speciale school")

    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("leerling")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("instelling")
    )
    kind = models.CharField(_("soort besluit"), max_length=15, choices=Kind)
    start = models.DateField(_("ingangsdatum"))
    end = models.DateField(_("einddatum"))
    evaluation_date = models.DateField(_("datum jaarlijkse evaluatie"), null=True, blank=True)
    evaluated_on = models.DateField(_("geëvalueerd op"), null=True, blank=True)
    replacement_advice = models.CharField(
        _("advies herplaatsing einde schooljaar"), max_length=15, choices=Advice, blank=True
    )
    return_decision_on = models.DateField(
        _("datum besluit terugplaatsing"),
        null=True,
        blank=True,
        help_text=_("De leerling moet binnen 8 weken na dit besluit overstappen."),
    )
    formerly_onderwijsarrangement = models.BooleanField(
        _("had vroeger een onderwijsarrangement gekregen"), default=False
    )
    notes = models.TextField(_("notities"), max_length=TEXT_MAX, blank=True)

    PAST_ONLY = ("evaluated_on", "return_decision_on")

    class Meta:
        ordering = ["-start"]
        verbose_name = _("CvO-besluit")
        verbose_name_plural = _("CvO-besluiten")

    def save(self, *args, **kwargs):
        self._set_defaults()
        super().save(*args, **kwargs)

    def _set_defaults(self):
        # The commission that decides is the one of the pupil's region.
        if not self.institution_id and self.pupil_id:
            self.institution_id = self.pupil.region.institution_id

    def clean(self):
        self._set_defaults()
        super().clean()
        errors = {}
        if too_far_ahead(self.start):
            errors["start"] = too_far_ahead_message()
        if self.start and self.end:
            if self.end < self.start:
                errors["end"] = _("De einddatum ligt vóór de ingangsdatum.")
            elif self.end > add_months(self.start, 12 * cvo_max_years()):
                errors["end"] = _(
                    "Een CvO-besluit loopt ten hoogste %(n)s jaar; kies een eerdere einddatum."
                ) % {"n": cvo_max_years()}
        for name in ("evaluation_date", "evaluated_on"):
            value = getattr(self, name)
            if self.start and value and value < self.start:
                errors[name] = _("Deze datum ligt vóór de ingangsdatum van het besluit.")
        if errors:
            raise ValidationError(errors)

    @property
    def transfer_deadline(self):
        if self.return_decision_on:
            return self.return_decision_on + timedelta(days=RETURN_TRANSFER_DAYS)
        return None


class Arrangement(models.Model):
    class Scope(models.TextChoices):
        INDIVIDUAL = "individueel", _("individueel")
        GROUP = "groep", _("groep of school")

    class Setting(models.TextChoices):
        AMBULANT = "ambulant", _("ambulante begeleiding")
        GROUP_IN_SCHOOL = "groep-in-school", _("groep in school (mediumsetting)")
        SCHOOL_IN_SCHOOL = "school-in-school", _("school-in-school")
        SYMBIOSE = "symbiose", _("symbiose")
        VSO = "vso", _("onderwijs op een (v)so-locatie")
        OTHER = "anders", _("anders")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="arrangements", verbose_name=_("regio")
    )
    scope = models.CharField(_("niveau"), max_length=12, choices=Scope, default=Scope.INDIVIDUAL)
    setting = models.CharField(
        _("soort arrangement"), max_length=20, choices=Setting, default=Setting.AMBULANT
    )
    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="arrangements",
        verbose_name=_("leerling"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cluster2_arrangements",
        verbose_name=_("school"),
    )
    hours_per_week = models.DecimalField(
        _("uren per week"), max_digits=4, decimal_places=1, default=0
    )
    individual_share = models.PositiveSmallIntegerField(
        _("deel individueel werk (%)"),
        default=100,
        help_text=_("De rest is systemisch werk: met leraren, team en ouders."),
    )
    begeleiders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assigned_arrangements",
        verbose_name=_("ambulant begeleiders"),
    )
    start = models.DateField(_("van"))
    end = models.DateField(_("tot en met"), null=True, blank=True)
    notes = models.TextField(_("notities"), max_length=TEXT_MAX, blank=True)
    # Optimistic locking (regions/versioning.py): a form loaded before the last save is refused.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-start"]
        verbose_name = _("arrangement")
        verbose_name_plural = _("arrangementen")

    def __str__(self):
        subject = self.pupil.code if self.pupil_id else (self.school or "")
        return f"{self.get_setting_display()} {subject}".strip()

    def save(self, *args, **kwargs):
        self._set_region()
        super().save(*args, **kwargs)

    def get_additional_data(self):
        return {"pupil_region": self.region_id}

    @property
    def systemic_share(self):
        return 100 - self.individual_share

    def _set_region(self):
        # A pupil's arrangement lies in the pupil's region (and is scoped by it).
        if self.pupil_id:
            self.region_id = self.pupil.region_id

    def clean(self):
        self._set_region()
        errors = impossible_values(self)
        if self.hours_per_week is not None and not (0 <= self.hours_per_week <= MAX_HOURS_PER_WEEK):
            errors["hours_per_week"] = _("Het aantal uren per week ligt tussen 0 en %(max)s.") % {
                "max": MAX_HOURS_PER_WEEK
            }
        if self.individual_share is not None and self.individual_share > 100:
            errors["individual_share"] = _("Een percentage ligt tussen 0 en 100.")
        if self.scope == self.Scope.INDIVIDUAL and not self.pupil_id:
            errors["pupil"] = _("Een individueel arrangement hoort bij een leerling.")
        if self.scope == self.Scope.GROUP and not self.school_id:
            errors["school"] = _("Een groeps- of schoolarrangement hoort bij een school.")
        if too_far_ahead(self.start):
            errors["start"] = too_far_ahead_message()
        if self.start and self.end:
            if self.end < self.start:
                errors["end"] = _("De einddatum ligt vóór de begindatum.")
            elif self.end > add_months(self.start, 12 * cvo_max_years()):
                errors["end"] = _(
                    "Een arrangement loopt ten hoogste %(n)s jaar; kies een eerdere einddatum."
                ) % {"n": cvo_max_years()}
        if errors:
            raise ValidationError(errors)


class PlacementCase(PupilRecord):
    """One move of one pupil, step by step; refuses enrolment until it is safe."""

    class Reason(models.TextChoices):
        CLOSURE = "sluiting", _("sluiting van een vso-locatie")
        RETURN = "terugplaatsing", _("terugplaatsing na CvO-besluit")
        TRANSITION = "overgang", _("overgang naar een volgende schoolsoort")
        PARENTS = "ouders", _("wens van ouders")
        OTHER = "anders", _("anders")

    class Status(models.TextChoices):
        NEW = "nieuw", _("nog niet gestart")
        EXPLORING = "verkennen", _("opties verkend")
        SCHOOL_FOUND = "school", _("school gevonden")
        ARRANGING = "regelen", _("TLV, vervoer of school wordt geregeld")
        READY = "klaar", _("klaar om in te schrijven")
        ENROLLED = "ingeschreven", _("ingeschreven")
        EVALUATED = "geevalueerd", _("eerste evaluatie gedaan")
        CANCELLED = "gestopt", _("gestopt")

    class TlvPayer(models.TextChoices):
        SWV = "swv", _("samenwerkingsverband")
        INSTITUTION = "instelling", _("cluster 2-instelling (eenmalig)")
        OTHER = "anders", _("anders")

    class TransportDecision(models.TextChoices):
        APPLIED = "aangevraagd", _("aangevraagd")
        GRANTED = "toegekend", _("toegekend")
        REFUSED = "afgewezen", _("afgewezen")

    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="placements", verbose_name=_("leerling")
    )
    from_school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("van school"),
    )
    from_location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("van (v)so-locatie"),
    )
    to_school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_placements",
        verbose_name=_("naar school"),
    )
    reason = models.CharField(_("reden"), max_length=15, choices=Reason)
    reason_detail = models.CharField(_("toelichting"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status, default=Status.NEW, editable=False
    )
    cancelled = models.BooleanField(_("gestopt"), default=False)
    options_explored_on = models.DateField(_("opties verkend op"), null=True, blank=True)
    school_identified_on = models.DateField(_("school gevonden op"), null=True, blank=True)
    tlv_needed = models.BooleanField(_("TLV nodig"), null=True, blank=True)
    tlv_payer = models.CharField(
        _("wie betaalt de TLV"), max_length=12, choices=TlvPayer, blank=True
    )
    tlv_settled_on = models.DateField(_("TLV geregeld op"), null=True, blank=True)
    transport_needed = models.BooleanField(_("vervoer nodig"), null=True, blank=True)
    transport_gemeente = models.ForeignKey(
        Gemeente,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente (vervoer)"),
    )
    transport_decision = models.CharField(
        _("besluit vervoer"), max_length=12, choices=TransportDecision, blank=True
    )
    transport_decided_on = models.DateField(_("vervoer besloten op"), null=True, blank=True)
    receiving_ready_on = models.DateField(_("ontvangende school klaar op"), null=True, blank=True)
    enrolled_on = models.DateField(_("ingeschreven op"), null=True, blank=True)
    first_evaluation_on = models.DateField(_("eerste evaluatie op"), null=True, blank=True)
    expected_start = models.DateField(
        _("verwachte startdatum"),
        null=True,
        blank=True,
        help_text=_("Wanneer de leerling naar verwachting op de nieuwe school begint."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    PAST_ONLY = (
        "options_explored_on",
        "school_identified_on",
        "tlv_settled_on",
        "transport_decided_on",
        "receiving_ready_on",
        "enrolled_on",
        "first_evaluation_on",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pupil.code}"

    def save(self, *args, **kwargs):
        self.status = self.compute_status()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "status"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("learners:placement_detail", args=[self.pupil.code, self.pk])

    # -- settled checks: each says whether one precondition for enrolment is met --

    @property
    def tlv_settled(self) -> bool:
        if self.tlv_needed is False:
            return True
        return bool(self.tlv_needed and self.tlv_payer and self.tlv_settled_on)

    @property
    def transport_settled(self) -> bool:
        if self.transport_needed is False:
            return True
        return bool(
            self.transport_needed and self.transport_decision == self.TransportDecision.GRANTED
        )

    @property
    def receiving_school_ready(self) -> bool:
        return bool(self.to_school_id and self.receiving_ready_on)

    def enrolment_blockers(self) -> list:
        """What still blocks enrolment, as Dutch labels; empty when it may go ahead."""
        return [
            str(step.for_enrolment)
            for step in PLACEMENT_STEPS
            if step.for_enrolment and not getattr(self, step.settled)
        ]

    def compute_status(self) -> str:
        """The furthest step reached; "ready" once nothing blocks enrolment."""
        if self.cancelled:
            return self.Status.CANCELLED
        for step in reversed(PLACEMENT_STEPS):
            if step.for_enrolment and not self.enrolment_blockers():
                return self.Status.READY
            if getattr(self, step.date_field):
                return step.status
        return self.Status.NEW

    @property
    def origin(self):
        return self.from_location or self.from_school


# --- the steps of a placement, declared once ------------------------------------
# The page's step list, the step forms, the order check, the guards, what a step writes
# and the placement's status all read this table (services.set_step, forms, views).


def _school_data(case, data) -> dict:
    to_school = data.get("to_school") or case.to_school
    if not to_school:
        raise ValidationError(_("Kies eerst de school die de leerling ontvangt."))
    return {"to_school": to_school}


def _tlv_data(case, data) -> dict:
    needed = data.get("tlv_needed")
    if needed is None:
        raise ValidationError(_("Geef aan of een TLV nodig is."))
    if needed and not data.get("tlv_payer"):
        raise ValidationError(_("Geef aan wie de TLV betaalt."))
    return {"tlv_needed": needed, "tlv_payer": data.get("tlv_payer", "") if needed else ""}


def _transport_data(case, data) -> dict:
    needed = data.get("transport_needed")
    if needed is None:
        raise ValidationError(_("Geef aan of vervoer nodig is."))
    decision = data.get("transport_decision", "") if needed else ""
    if needed and not decision:
        raise ValidationError(_("Vul het besluit van de gemeente over het vervoer in."))
    return {
        "transport_needed": needed,
        "transport_gemeente": data.get("transport_gemeente") if needed else None,
        "transport_decision": decision,
    }


def _needs_school(case) -> str:
    if not case.to_school_id:
        return _("Kies eerst bij 'School gevonden' de school die de leerling ontvangt.")
    return ""


def _needs_settled(case) -> str:
    if case.enrolled_on:
        return ""
    unsettled = case.enrolment_blockers()
    if not unsettled:
        return ""
    return _(
        "Inschrijven kan pas als de TLV, het vervoer en de ontvangende school "
        "geregeld zijn. Nog niet geregeld: %(items)s."
    ) % {"items": get_text_list(unsettled, _("en"))}


def _refuse_enrolment(case) -> str:
    """What a refused enrolment says (the page's guard says what to settle first)."""
    unsettled = case.enrolment_blockers()
    if not unsettled:
        return ""
    return _(
        "Inschrijven kan nog niet: %(items)s %(verb)s nog niet geregeld. "
        "Regel dat eerst, zodat de leerling niet zonder vervoer, bekostiging of "
        "voorbereide school begint."
    ) % {
        "items": get_text_list(unsettled, _("en")),
        "verb": _("is") if len(unsettled) == 1 else _("zijn"),
    }


def _needs_enrolment(case) -> str:
    if not case.enrolled_on:
        return _("De eerste evaluatie kan pas na de inschrijving.")
    return ""


@dataclass(frozen=True)
class PlacementStep:
    key: str
    label: str
    date_field: str  # when the step was done
    status: str  # the placement's status once this is the furthest step
    fields: tuple = ()  # what the step form asks besides the date
    after: str = ""  # the step it builds on: its date may not come before that one
    guard: Callable | None = None  # why it cannot be recorded yet ("" when it can)
    data: Callable | None = None  # checks the step form's answers, returns what to write
    refusal: Callable | None = None  # what recording it anyway says, if not the guard
    settled: str = ""  # the case's property saying the step is really settled
    for_enrolment: str = ""  # its name among what blocks enrolment

    def done_on(self, case):
        if self.settled and not getattr(case, self.settled):
            return None
        return getattr(case, self.date_field)

    def blocker(self, case) -> str:
        return str(self.guard(case)) if self.guard else ""

    def refused(self, case) -> str:
        """Why set_step refuses to record it now ("" when it may)."""
        return str(self.refusal(case)) if self.refusal else self.blocker(case)


_S = PlacementCase.Status
PLACEMENT_STEPS = (
    PlacementStep("options_explored", _("Opties verkend"), "options_explored_on", _S.EXPLORING),
    PlacementStep(
        "school_identified",
        _("School gevonden"),
        "school_identified_on",
        _S.SCHOOL_FOUND,
        fields=("to_school",),
        after="options_explored",
        data=_school_data,
    ),
    PlacementStep(
        "tlv",
        _("TLV geregeld"),
        "tlv_settled_on",
        _S.ARRANGING,
        fields=("tlv_needed", "tlv_payer"),
        data=_tlv_data,
        settled="tlv_settled",
        for_enrolment=_("de TLV"),
    ),
    PlacementStep(
        "transport",
        _("Vervoer geregeld"),
        "transport_decided_on",
        _S.ARRANGING,
        fields=("transport_needed", "transport_gemeente", "transport_decision"),
        data=_transport_data,
        settled="transport_settled",
        for_enrolment=_("het vervoer"),
    ),
    PlacementStep(
        "receiving_ready",
        _("Ontvangende school klaar"),
        "receiving_ready_on",
        _S.ARRANGING,
        guard=_needs_school,
        settled="receiving_school_ready",
        for_enrolment=_("de ontvangende school"),
    ),
    PlacementStep(
        "enrolled",
        _("Ingeschreven"),
        "enrolled_on",
        _S.ENROLLED,
        after="school_identified",
        guard=_needs_settled,
        refusal=_refuse_enrolment,
    ),
    PlacementStep(
        "first_evaluation",
        _("Eerste evaluatie gedaan"),
        "first_evaluation_on",
        _S.EVALUATED,
        after="enrolled",
        guard=_needs_enrolment,
    ),
)
PLACEMENT_STEP = {step.key: step for step in PLACEMENT_STEPS}


class DutyOfCare(PupilRecord):
    """Zorgplicht: who holds it, from when to when. Periods must follow each other."""

    class HolderKind(models.TextChoices):
        INSTITUTION = "instelling", _("cluster 2-instelling")
        BOARD = "bestuur", _("ontvangend schoolbestuur")

    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="duty_periods", verbose_name=_("leerling")
    )
    holder_kind = models.CharField(_("houder"), max_length=12, choices=HolderKind)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instelling"),
    )
    bestuur = models.ForeignKey(
        Schoolbestuur,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("schoolbestuur"),
    )
    start = models.DateField(_("vanaf"))
    end = models.DateField(_("tot en met"), null=True, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("zorgplicht")
        verbose_name_plural = _("zorgplicht")

    @property
    def holder(self):
        return self.institution if self.holder_kind == self.HolderKind.INSTITUTION else self.bestuur

    PAST_ONLY = ()

    def clean(self):
        super().clean()
        errors = {}
        if self.holder_kind == self.HolderKind.INSTITUTION and not self.institution_id:
            errors["institution"] = _("Kies de instelling die de zorgplicht heeft.")
        if self.holder_kind == self.HolderKind.BOARD and not self.bestuur_id:
            errors["bestuur"] = _("Kies het schoolbestuur dat de zorgplicht heeft.")
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("De einddatum ligt vóór de begindatum.")
        if errors:
            raise ValidationError(errors)
        if self.pupil_id and self.start:
            others = DutyOfCare.objects.filter(pupil_id=self.pupil_id).exclude(pk=self.pk)
            far = date.max
            for other in others:
                if self.start <= (other.end or far) and other.start <= (self.end or far):
                    raise ValidationError(
                        _("Deze periode overlapt met de zorgplicht van %(holder)s vanaf %(start)s.")
                        % {"holder": other.holder, "start": other.start.strftime("%d-%m-%Y")}
                    )


def duty_of_care_problem(periods, today: date):
    """Why the duty of care of one pupil is unclear, or None when it is clear.

    `periods` are (start, end) pairs. The duty must be held today and there may be no
    day without a holder between the first period and today.
    """
    ordered = sorted(periods)
    if not ordered:
        return _("niemand heeft de zorgplicht")
    covered_until = None
    for start, end in ordered:
        if start > today:
            break
        if covered_until is not None and start > covered_until + timedelta(days=1):
            return _("gat in de zorgplicht van %(from)s tot %(to)s") % {
                "from": (covered_until + timedelta(days=1)).strftime("%d-%m-%Y"),
                "to": (start - timedelta(days=1)).strftime("%d-%m-%Y"),
            }
        if end is None:
            covered_until = date.max
        elif covered_until is None or end > covered_until:
            covered_until = end
    if covered_until is None or covered_until < today:
        return _("niemand heeft vandaag de zorgplicht")
    return None


class Handover(PupilRecord):
    """The warm handover: what was passed on, to whom, when."""

    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("leerling")
    )
    placement = models.ForeignKey(
        PlacementCase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handovers",
        verbose_name=_("plaatsing"),
    )
    date = models.DateField(_("datum"))
    to_whom = models.CharField(_("aan wie"), max_length=150)
    opp = models.BooleanField(_("OPP overgedragen"), default=False)
    reports = models.BooleanField(_("verslagen overgedragen"), default=False)
    conversation = models.BooleanField(_("overdrachtsgesprek gevoerd"), default=False)
    notes = models.TextField(_("notities"), max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("warme overdracht")
        verbose_name_plural = _("warme overdrachten")


class CheckIn(RecordedPupilRecord):
    """A follow-up after placement, planned at enrolment, recorded by the begeleider."""

    class Wellbeing(models.TextChoices):
        GOOD = "goed", _("goed")
        FAIR = "redelijk", _("redelijk")
        WORRYING = "zorgelijk", _("zorgelijk")

    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("leerling")
    )
    placement = models.ForeignKey(
        PlacementCase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checkins",
        verbose_name=_("plaatsing"),
    )
    months_after = models.PositiveSmallIntegerField(_("maanden na inschrijving"), null=True)
    due_date = models.DateField(_("gepland op"))
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    results = models.TextField(_("resultaten"), max_length=TEXT_MAX, blank=True)
    wellbeing = models.CharField(_("welbevinden"), max_length=10, choices=Wellbeing, blank=True)
    as_planned = models.BooleanField(_("plaatsing loopt zoals gepland"), null=True, blank=True)
    support_needed = models.BooleanField(_("ondersteuning nog nodig"), null=True, blank=True)
    notes = models.TextField(_("notities"), max_length=TEXT_MAX, blank=True)

    PAST_ONLY = ("done_on",)  # the due date may of course lie ahead

    class Meta:
        ordering = ["due_date"]
        verbose_name = _("vervolgcontact")
        verbose_name_plural = _("vervolgcontacten")

    def save(self, *args, **kwargs):
        self._set_defaults()
        super().save(*args, **kwargs)

    def _set_defaults(self):
        if not self.due_date and self.done_on:
            self.due_date = self.done_on  # an unplanned check-in is due when it happens

    def clean(self):
        self._set_defaults()
        super().clean()


class Conversation(RecordedPupilRecord):
    """Hoorrecht: what pupil and parents said, and what was agreed."""

    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("leerling")
    )
    date = models.DateField(_("datum"))
    participants = models.CharField(_("wie waren erbij"), max_length=250)
    wishes = models.TextField(_("wensen"), max_length=TEXT_MAX, blank=True)
    concerns = models.TextField(_("zorgen"), max_length=TEXT_MAX, blank=True)
    next_step = models.TextField(_("afgesproken vervolgstap"), max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("gesprek (hoorrecht)")
        verbose_name_plural = _("gesprekken (hoorrecht)")


class Consultation(RecordedPupilRecord):
    """Consultatie en advies (C&A): advice to a school about a pupil; needs no CvO decision."""

    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("leerling")
    )
    date = models.DateField(_("datum"))
    asked_by = models.CharField(
        _("vraag van"), max_length=200, help_text=_("Wie de vraag stelde, bijvoorbeeld de mentor.")
    )
    question = models.TextField(_("vraag"), max_length=TEXT_MAX)
    advice = models.TextField(_("advies"), max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("consultatie en advies")
        verbose_name_plural = _("consultaties en adviezen")


class AccessLog(models.Model):
    """Who looked at or exported pupil data, and when. Never edited, never deleted."""

    class Action(models.TextChoices):
        VIEW = "view", _("bekeken")
        LIST = "list", _("in een lijst gezien")
        EXPORT = "export", _("geëxporteerd")
        ACCESS_REQUEST = "inzage", _("inzageverzoek: alle gegevens als pdf")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    action = models.CharField(_("handeling"), max_length=10, choices=Action)
    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leerling"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    detail = models.CharField(_("toelichting"), max_length=250, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-at"]
        verbose_name = _("inzage")
        verbose_name_plural = _("inzagelogboek")
        indexes = [models.Index(fields=["region", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"
