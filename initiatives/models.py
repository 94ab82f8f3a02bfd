"""Cooperation between cluster 2 and regular education in a region: initiatives,
agreements with SWVs, boards, municipalities and OCW, and the transition plan of a (v)so
location that is phasing out or closing."""


# --- agreements ------------------------------------------------------------------------

from datetime import date as _date  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db import models  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from regions.models import OrganisationRef, RegionBound  # noqa: E402

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
    status_since = models.DateField(_("status sinds"), default=timezone.localdate, editable=False)
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
    start = models.DateField(_("begindatum"), null=True, blank=True)
    end = models.DateField(_("einddatum"), null=True, blank=True)
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
            first, _sep, second = year.partition("-")
            if not (
                first.isdigit()
                and second.isdigit()
                and len(first) == len(second) == 4
                and int(second) == int(first) + 1
            ):
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

    def get_additional_data(self):
        return {"region": self.agreement.region_id, "agreement": self.agreement_id}


class AgreementConsent(models.Model):
    """A party agreed to one version (on a date). A party that agreed to a version stays
    on the agreement (PROTECT), so the record of who agreed to what never shrinks."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="consents")
    party = models.ForeignKey(AgreementParty, on_delete=models.PROTECT, related_name="consents")
    agreed_on = models.DateField(_("ingestemd op"), default=timezone.localdate)

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

    def get_additional_data(self):
        agreement = self.party.agreement
        return {"region": agreement.region_id, "agreement": agreement.pk}
