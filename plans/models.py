"""The regional plan: what the coordinator writes (texts, goals and outcomes) and what is
kept of it (exported and frozen documents with their snapshot and PDF, and who did what).

The plan's figures are never stored here: plans/snapshot.py gathers them from the other
apps when the page is shown, and a document keeps that gathering as it was (`snapshot`).
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Region, RegionBound


class PlanSection(models.TextChoices):
    """The numbered sections of the plan, in the order the page and the PDF show them."""

    CONTEXT = "context", _("De regio")
    GOALS = "goals", _("Doelen en resultaten")
    PUPILS = "pupils", _("Leerlingen in cijfers")
    WERKAGENDA = "werkagenda", _("Werkagenda")
    TOOLKIT = "toolkit", _("Toolkit")
    INITIATIVES = "initiatives", _("Initiatieven en afspraken")
    TRANSITION = "transition", _("Sluitende locaties")
    CHECKLISTS = "checklists", _("Checklists van partnerscholen")
    TIMELINE = "timeline", _("Tijdlijn en deadlines")


class RegionalPlan(RegionBound):
    """One per region: the plan's own text that belongs to no section."""

    pressures = models.TextField(
        _("regionale opgaven"),
        blank=True,
        max_length=5000,
        help_text=_("Wat speelt er in de regio: krimp, tekorten, sluitingen, wachtlijsten."),
    )

    class Meta:
        verbose_name = _("regioplan")
        verbose_name_plural = _("regioplannen")
        constraints = [models.UniqueConstraint(fields=["region"], name="plans_one_plan_per_region")]

    def __str__(self):
        return str(self.region)


class PlanText(RegionBound):
    """The coordinator's introduction and conclusion to one section of a region's plan."""

    section = models.CharField(_("hoofdstuk"), max_length=16, choices=PlanSection)
    intro = models.TextField(_("inleiding"), blank=True, max_length=5000)
    conclusion = models.TextField(_("conclusie"), blank=True, max_length=5000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )

    class Meta:
        verbose_name = _("tekst van het regioplan")
        verbose_name_plural = _("teksten van het regioplan")
        constraints = [
            models.UniqueConstraint(fields=["region", "section"], name="plans_text_per_section")
        ]

    def __str__(self):
        return f"{self.region}: {self.get_section_display()}"


class Goal(RegionBound):
    """A goal of the region in one phase of the werkagenda, with its intended outcomes."""

    phase = models.ForeignKey(
        "toolkit.Phase", on_delete=models.PROTECT, related_name="+", verbose_name=_("fase")
    )
    title = models.CharField(_("doel"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True, max_length=2000)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    actions = models.ManyToManyField(
        "toolkit.RegionAction", blank=True, related_name="goals", verbose_name=_("acties")
    )
    initiatives = models.ManyToManyField(
        "initiatives.Initiative", blank=True, related_name="goals", verbose_name=_("initiatieven")
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["phase__number", "order", "pk"]
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")

    def __str__(self):
        return self.title


class OutcomeStatus(models.TextChoices):
    """The legend of a regional project plan."""

    ACHIEVED = "achieved", _("behaald")
    IN_DEVELOPMENT = "in_development", _("in ontwikkeling")
    TO_START = "to_start", _("nog te starten")


class Outcome(models.Model):
    """An intended outcome of a goal: what will be different, and how far it is."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("doel")
    )
    text = models.CharField(_("beoogd resultaat"), max_length=300)
    status = models.CharField(
        _("stand"), max_length=16, choices=OutcomeStatus, default=OutcomeStatus.TO_START
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("beoogd resultaat")
        verbose_name_plural = _("beoogde resultaten")

    def __str__(self):
        return self.text

    def get_additional_data(self):
        return {"region": self.goal.region_id}


# A render takes seconds; a document still waiting after this lost its worker.
STUCK_AFTER = timedelta(minutes=15)


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    RENDERING = "rendering", _("wordt gemaakt")
    READY = "ready", _("klaar")
    FAILED = "failed", _("mislukt")


class FrozenDocumentError(ValidationError):
    """Someone tried to change what a frozen version says."""


class PlanDocument(models.Model):
    """A PDF of a region's plan. With a `number` it is a frozen version: its snapshot and,
    once rendered, its PDF never change again. Without one it is a plain export."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="plan_documents", verbose_name=_("regio")
    )
    number = models.PositiveIntegerField(_("versienummer"), null=True, blank=True)
    snapshot = models.JSONField(_("inhoud"))
    language = models.CharField(_("taal"), max_length=8, default="nl")
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus, default=DocumentStatus.QUEUED
    )
    error = models.CharField(_("foutmelding"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    task_id = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField(_("pdf"), null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    shared_with_schools = models.BooleanField(_("gedeeld met partnerscholen"), default=False)

    class Meta:
        ordering = ["region", "-created_at", "-pk"]
        verbose_name = _("plandocument")
        verbose_name_plural = _("plandocumenten")
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="plans_version_number"),
        ]
        indexes = [models.Index(fields=["region", "number"])]

    def __str__(self):
        if self.number:
            return _("%(region)s, versie %(number)s") % {
                "region": self.region,
                "number": self.number,
            }
        return _("%(region)s, export") % {"region": self.region}

    def save(self, *args, **kwargs):
        self._guard_frozen()
        super().save(*args, **kwargs)

    @property
    def is_frozen(self):
        return self.number is not None

    @property
    def is_ready(self):
        return self.status == DocumentStatus.READY

    @property
    def is_stuck(self):
        return self.status != DocumentStatus.FAILED and self.may_retry()

    def may_retry(self, now=None):
        """Failed, or still waiting long after it was asked for: its worker died."""
        if self.status == DocumentStatus.FAILED:
            return True
        waiting = self.status in (DocumentStatus.QUEUED, DocumentStatus.RENDERING)
        now = now or timezone.now()
        return waiting and self.created_at is not None and now - self.created_at > STUCK_AFTER

    def _guard_frozen(self):
        """A frozen version never changes what it says: its number and snapshot are fixed
        from the start, its PDF once it is ready (status and sharing may still change)."""
        if self.pk is None:
            return
        stored = (
            PlanDocument.objects.filter(pk=self.pk)
            .values("number", "snapshot", "status", "pdf_sha256")
            .first()
        )
        if stored is None or stored["number"] is None:
            return
        pdf_sha = hashlib.sha256(bytes(self.pdf)).hexdigest() if self.pdf is not None else ""
        changed = self.number != stored["number"] or self.snapshot != stored["snapshot"]
        if stored["status"] == DocumentStatus.READY:
            changed |= self.status != DocumentStatus.READY or pdf_sha != stored["pdf_sha256"]
        if changed:
            raise FrozenDocumentError(_("Een vastgestelde versie verandert niet meer."))

    def set_pdf(self, data: bytes):
        self.pdf = data
        self.pdf_sha256 = hashlib.sha256(data).hexdigest()

    def clean(self):
        if self.shared_with_schools and not self.is_frozen:
            raise ValidationError(_("Alleen een vastgestelde versie kan worden gedeeld."))


class PlanEvent(models.Model):
    """Who exported, froze, shared or downloaded which document of a region's plan."""

    class Action(models.TextChoices):
        EXPORT = "export", _("export gevraagd")
        FREEZE = "freeze", _("versie vastgesteld")
        DOWNLOAD = "download", _("gedownload")
        SHARE = "share", _("gedeeld met partnerscholen")
        UNSHARE = "unshare", _("delen gestopt")
        RETRY = "retry", _("opnieuw gemaakt")
        COMPARE = "compare", _("versies vergeleken")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    document = models.ForeignKey(
        PlanDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("document"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    username = models.CharField(_("gebruikersnaam"), max_length=150)
    action = models.CharField(_("handeling"), max_length=10, choices=Action)
    detail = models.CharField(_("toelichting"), max_length=200, blank=True)
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("gebeurtenis van het regioplan")
        verbose_name_plural = _("gebeurtenissen van het regioplan")
        indexes = [models.Index(fields=["region", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username}: {self.get_action_display()}"


class PurgeRun(models.Model):
    """One run of `purge_expired --purge`: when, and how many of each kind went (counts
    and limit dates only, never what they were), so the purge itself is accountable."""

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    counts = models.JSONField(_("aantallen per soort"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("opschoonronde")
        verbose_name_plural = _("opschoonrondes")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}"
