"""Toolkit and werkagenda: the content (loaded by a data migration, kept in Django admin)
and each region's work on it (progress per tip, decisions per measure, own actions).

Region work carries a `version` integer: every save through toolkit/services.py checks
the version the form was loaded with, so a second coordinator never overwrites the
first one silently.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import RegionBound

# --- content -------------------------------------------------------------------


@dataclass(frozen=True)
class TextBlock:
    text: str
    quote: bool = False
    attribution: str = ""


def text_blocks(text):
    """Content text as paragraphs (separated by a blank line). A paragraph whose lines
    start with "> " is a quote; its last line "— ..." is the attribution. Templates show
    quotes as a <blockquote> with that attribution (toolkit.html#item-detail)."""
    blocks = []
    for paragraph in text.strip().split("\n\n"):
        lines = [line.strip() for line in paragraph.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith(">"):
            attribution = ""
            if lines[-1].startswith(("— ", "-- ")):
                attribution = lines.pop().split(" ", 1)[1].strip()
            quote = " ".join(line.lstrip(">").strip() for line in lines)
            blocks.append(TextBlock(quote, quote=True, attribution=attribution))
        else:
            blocks.append(TextBlock(" ".join(lines)))
    return blocks


class Chapter(models.Model):
    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    title = models.CharField(_("titel"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("hoofdstuk")
        verbose_name_plural = _("hoofdstukken")

    def __str__(self):
        return f"{self.number}. {self.title}"


class Section(models.Model):
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="sections", verbose_name=_("hoofdstuk")
    )
    number = models.CharField(_("nummer"), max_length=10, unique=True)
    title = models.CharField(_("titel"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("paragraaf")
        verbose_name_plural = _("paragrafen")

    def __str__(self):
        return f"{self.number} {self.title}"


class WerkagendaLine(models.Model):
    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("samenvatting"), blank=True)
    source = models.CharField(_("bron"), max_length=200, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("werkagendalijn")
        verbose_name_plural = _("werkagendalijnen")

    def __str__(self):
        return f"{self.number}. {self.title}"


class ToolkitItem(models.Model):
    class Kind(models.TextChoices):
        TIP = "tip", _("tip")
        TOOL = "tool", _("tool")
        TIP_TOOL = "tip_tool", _("tip/tool")
        INSPIRATION = "inspiration", _("inspiratie")

    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    kind = models.CharField(_("soort"), max_length=12, choices=Kind)
    title = models.CharField(_("titel"), max_length=250)
    summary = models.TextField(_("samenvatting"))
    links = models.JSONField(
        _("links"), default=list, blank=True, help_text=_('Lijst van {"label": ..., "url": ...}.')
    )
    chapter = models.ForeignKey(
        Chapter, on_delete=models.PROTECT, related_name="items", verbose_name=_("hoofdstuk")
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("paragraaf"),
    )
    source = models.CharField(_("bron"), max_length=200)
    lines = models.ManyToManyField(
        WerkagendaLine, blank=True, related_name="items", verbose_name=_("werkagendalijnen")
    )
    checklist = models.JSONField(_("checklist"), default=list, blank=True)

    class Meta:
        ordering = ["chapter__number", "order"]
        verbose_name = _("toolkititem")
        verbose_name_plural = _("toolkititems")

    def __str__(self):
        return self.title

    @property
    def summary_blocks(self):
        return text_blocks(self.summary)

    def clean(self):
        if self.section_id and self.section.chapter_id != self.chapter_id:
            raise ValidationError({"section": _("Deze paragraaf hoort bij een ander hoofdstuk.")})


class CooperationType(models.Model):
    """A form of cooperation between cluster 2 and regular education (school-in-school,
    kindcentrum, ...). Practice examples and initiatives share this list; the functional
    admin extends it in Django admin."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("samenwerkingsvorm")
        verbose_name_plural = _("samenwerkingsvormen")

    def __str__(self):
        return self.name


class Construction(models.TextChoices):
    """The legal or funding construction a cooperation rests on."""

    SYMBIOSE = "symbioseovereenkomst", _("symbioseovereenkomst")
    SAMENWERKING = "samenwerkingsovereenkomst", _("samenwerkingsovereenkomst")
    EXPERIMENT = (
        "experiment",
        _("experiment onder de beleidsregel samenwerking regulier en speciaal onderwijs"),
    )
    SWV_ARRANGEMENT = "swv-arrangement", _("arrangement van het samenwerkingsverband")
    OTHER = "anders", _("anders")


class Sector(models.TextChoices):
    PO = "po", _("PO")
    VO = "vo", _("VO")
    MBO = "mbo", _("MBO")


class Cluster(models.IntegerChoices):
    CLUSTER_1 = 1, _("cluster 1")
    CLUSTER_2 = 2, _("cluster 2")
    CLUSTER_3 = 3, _("cluster 3")
    CLUSTER_4 = 4, _("cluster 4")


# The fixed headings of the practice-example descriptions (seed 003, lines 557-567), in
# the order the example page shows them; "partners" is a field of its own.
EXAMPLE_HEADINGS = [
    ("aanleiding", _("Aanleiding")),
    ("doelen", _("Doelen en ambities")),
    ("praktijk", _("De praktijk")),
    ("leerlingen", _("De leerlingen")),
    ("ouders", _("De ouders")),
    ("uitdagingen", _("Uitdagingen")),
    ("opbrengsten", _("Opbrengsten")),
    ("toekomst", _("Toekomstige ontwikkelingen")),
]


class PracticeExample(models.Model):
    """A described practice of cooperation between special and regular education:
    national, read-only inspiration (the toolkit's examples and those of seed 003).

    Sectors and clusters are short lists of fixed values kept on the row (JSON), not
    tables: the vocabularies come from the law, not from the functional admin, and the
    library filters them in Python over the whole (small) list, which works the same on
    SQLite and PostgreSQL (JSON `contains` is not supported on SQLite)."""

    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    name = models.CharField(_("naam"), max_length=200)
    place = models.CharField(_("plaats"), max_length=100)
    partners = models.CharField(_("partners"), max_length=300)
    type = models.ForeignKey(
        CooperationType,
        on_delete=models.PROTECT,
        related_name="examples",
        verbose_name=_("vorm"),
    )
    sectors = models.JSONField(
        _("sectoren"), default=list, blank=True, help_text=_("PO, VO en/of MBO.")
    )
    clusters = models.JSONField(
        _("clusters"),
        default=list,
        blank=True,
        help_text=_("De clusters van het speciaal onderwijs dat meedoet (1-4)."),
    )
    construction = models.CharField(
        _("constructie"), max_length=30, choices=Construction, blank=True
    )
    summary = models.TextField(_("samenvatting"))
    aanleiding = models.TextField(_("aanleiding"), blank=True)
    doelen = models.TextField(_("doelen en ambities"), blank=True)
    praktijk = models.TextField(_("de praktijk"), blank=True)
    leerlingen = models.TextField(_("de leerlingen"), blank=True)
    ouders = models.TextField(_("de ouders"), blank=True)
    uitdagingen = models.TextField(_("uitdagingen"), blank=True)
    opbrengsten = models.TextField(_("opbrengsten"), blank=True)
    toekomst = models.TextField(_("toekomstige ontwikkelingen"), blank=True)
    contact_organisation = models.CharField(_("contactorganisatie"), max_length=200)
    links = models.JSONField(_("links"), default=list, blank=True)
    source = models.CharField(_("bron"), max_length=200)

    class Meta:
        ordering = ["order"]
        verbose_name = _("praktijkvoorbeeld")
        verbose_name_plural = _("praktijkvoorbeelden")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if not isinstance(self.sectors, list) or set(self.sectors) - set(Sector.values):
            errors["sectors"] = _("Kies uit PO, VO en MBO.")
        if not isinstance(self.clusters, list) or set(self.clusters) - set(Cluster.values):
            errors["clusters"] = _("Kies uit cluster 1 tot en met 4.")
        if errors:
            raise ValidationError(errors)

    def get_sectors_display(self):
        labels = dict(Sector.choices)
        return [labels.get(value, value) for value in self.sectors]

    def get_clusters_display(self):
        labels = dict(Cluster.choices)
        return [labels.get(value, value) for value in self.clusters]

    @property
    def headings(self):
        """(label, paragraphs) of each fixed heading the source has, in the fixed order."""
        return [
            (label, text_blocks(getattr(self, name)))
            for name, label in EXAMPLE_HEADINGS
            if getattr(self, name).strip()
        ]


class Measure(models.Model):
    class Level(models.TextChoices):
        LANDELIJK = "landelijk", _("landelijk")
        REGIONAAL = "regionaal", _("regionaal")
        SCHOOL = "school", _("school")

    code = models.CharField(_("code"), max_length=10, unique=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    line = models.ForeignKey(
        WerkagendaLine,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("werkagendalijn"),
    )
    level = models.CharField(_("niveau"), max_length=10, choices=Level)
    title = models.CharField(_("titel"), max_length=200)
    goal = models.TextField(_("doel"))
    items = models.JSONField(_("maatregelen of suggesties"), default=list, blank=True)
    actors = models.JSONField(_("actoren"), default=list, blank=True)
    timeline = models.TextField(_("tijdpad"), blank=True)
    source = models.CharField(_("bron"), max_length=200)

    class Meta:
        ordering = ["line__number", "order"]
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def region_decides(self):
        """Regional measures and school suggestions are adopted per region; national ones not."""
        return self.level != self.Level.LANDELIJK


class Phase(models.Model):
    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    name = models.CharField(_("naam"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("beginjaar"))
    end_year = models.PositiveSmallIntegerField(_("eindjaar"))
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("fase")
        verbose_name_plural = _("fasen")

    def __str__(self):
        return f"{_('Fase')} {self.number}: {self.name} ({self.start_year}-{self.end_year})"


class ReviewMoment(models.Model):
    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("ijkmoment")
        verbose_name_plural = _("ijkmomenten")

    def __str__(self):
        return f"{self.year}: {self.title}"


# --- a region's work -------------------------------------------------------------


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("niet gestart")
    IN_PROGRESS = "in_progress", _("bezig")
    DONE = "done", _("klaar")
    NOT_APPLICABLE = "not_applicable", _("niet van toepassing")


class RegionItemProgress(RegionBound):
    item = models.ForeignKey(
        ToolkitItem, on_delete=models.CASCADE, related_name="progress", verbose_name=_("item")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProgressStatus, default=ProgressStatus.NOT_STARTED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigenaar"),
    )
    due_date = models.DateField(_("streefdatum"), null=True, blank=True)
    note = models.TextField(_("notitie"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("voortgang toolkititem")
        verbose_name_plural = _("voortgang toolkititems")
        constraints = [
            models.UniqueConstraint(fields=["region", "item"], name="toolkit_progress_unique")
        ]

    def __str__(self):
        return f"{self.item}: {self.get_status_display()}"

    @property
    def is_open(self):
        return self.status in {ProgressStatus.NOT_STARTED, ProgressStatus.IN_PROGRESS}

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(self.due_date and self.due_date < today and self.is_open)


class RegionMeasure(RegionBound):
    class Decision(models.TextChoices):
        OPEN = "open", _("nog niet besloten")
        ADOPTED = "adopted", _("overgenomen")
        NOT_RELEVANT = "not_relevant", _("niet relevant")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("maatregel")
    )
    decision = models.CharField(
        _("besluit"), max_length=14, choices=Decision, default=Decision.OPEN
    )
    reason = models.TextField(_("reden"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("besluit over maatregel")
        verbose_name_plural = _("besluiten over maatregelen")
        constraints = [
            models.UniqueConstraint(fields=["region", "measure"], name="toolkit_measure_unique")
        ]

    def __str__(self):
        return f"{self.measure.code}: {self.get_decision_display()}"

    def clean(self):
        if self.decision == self.Decision.NOT_RELEVANT and not self.reason.strip():
            raise ValidationError(
                {"reason": _("Geef een reden waarom deze maatregel niet relevant is.")}
            )
        if self.measure_id and not self.measure.region_decides:
            raise ValidationError(_("Landelijke maatregelen worden niet per regio overgenomen."))


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("gepland")
    IN_PROGRESS = "in_progress", _("bezig")
    DONE = "done", _("afgerond")


class RegionAction(RegionBound):
    line = models.ForeignKey(
        WerkagendaLine,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("werkagendalijn"),
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("maatregel"),
    )
    title = models.CharField(_("titel"), max_length=200)
    goal = models.TextField(_("doel"), blank=True, max_length=2000)
    actors = models.CharField(
        _("betrokken partijen"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld: SWV, gemeente, AD-team."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigenaar"),
    )
    start = models.DateField(_("start"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus, default=ActionStatus.PLANNED
    )
    evidence = models.TextField(
        _("bewijs"), blank=True, max_length=2000, help_text=_("Wat laat zien dat het gelukt is.")
    )
    evidence_url = models.URLField(_("link naar bewijs"), blank=True)
    # The worked-out action point of a school year plan ("Uitwerking"): all optional, so
    # a short action stays short; the regional plan shows what is filled in.
    current_situation = models.TextField(
        _("huidige situatie en aanleiding"), blank=True, max_length=2000
    )
    activities = models.TextField(
        _("activiteiten (hoe)"),
        blank=True,
        max_length=2000,
        help_text=_("Eén activiteit per regel, bijvoorbeeld: - scholing team (oktober)."),
    )
    consequences_organisation = models.TextField(
        _("consequenties voor de organisatie"), blank=True, max_length=1000
    )
    consequences_training = models.TextField(
        _("consequenties voor scholing"), blank=True, max_length=1000
    )
    costs = models.CharField(
        _("kosten"),
        max_length=300,
        blank=True,
        help_text=_("Bedrag en waarvoor, bijvoorbeeld: € 2.500 voor scholing."),
    )
    measurable_result = models.TextField(_("meetbaar resultaat"), blank=True, max_length=1000)
    evaluation = models.CharField(
        _("evaluatie (wanneer, hoe, wie)"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld: juni 2026, in het regio-overleg, door de coördinator."),
    )
    safeguarding = models.TextField(
        _("borging (hoe)"),
        blank=True,
        max_length=1000,
        help_text=_("Hoe het resultaat blijft, bijvoorbeeld in een kwaliteitskaart of beleid."),
    )
    schools = models.ManyToManyField(
        "regions.School", blank=True, related_name="+", verbose_name=_("partnerscholen")
    )
    swvs = models.ManyToManyField(
        "regions.Samenwerkingsverband",
        blank=True,
        related_name="+",
        verbose_name=_("samenwerkingsverbanden"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        indexes = [models.Index(fields=["region", "line"])]

    def __str__(self):
        return self.title

    @property
    def is_done(self):
        return self.status == ActionStatus.DONE

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(self.deadline and self.deadline < today and not self.is_done)

    def clean(self):
        if self.measure_id and self.line_id and self.measure.line_id != self.line_id:
            raise ValidationError({"measure": _("Deze maatregel hoort bij een andere lijn.")})
        if self.start and self.deadline and self.start > self.deadline:
            raise ValidationError({"deadline": _("De deadline ligt vóór de startdatum.")})
