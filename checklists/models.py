"""Checklists: templates with published versions, assignments to schools and answers.

A published version keeps the whole template document (the JSON of checklists/content/,
see loader.py) as a frozen snapshot. Why a JSON snapshot and not rows per section and
question: an answer refers to its question by key, and the page of an old response reads
text, help, scale labels and bounds from the version it was filled in on; one immutable
value per version cannot drift, needs no copying of rows on publish, and is the same shape
the files and the admin use. Question keys are stable across versions, so answers of
different versions are compared by key (the roll-up of a later round).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import RegionBound, School

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 5000
LINK_MAX = 500
# A dot followed by groups of exactly three digits separates thousands ("1.000",
# "12.500,5"); any other dot is a decimal point ("2.5"), as is the comma.
DUTCH_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")

YES_PARTLY_NO = {
    "ja": _("ja"),
    "deels": _("deels"),
    "nee": _("nee"),
    "nvt": _("niet van toepassing"),
}
QUESTION_TYPES = {
    "yes_partly_no": _("ja / deels / nee / niet van toepassing"),
    "scale": _("schaal"),
    "short_text": _("korte tekst"),
    "long_text": _("lange tekst"),
    "number": _("getal"),
    "date": _("datum"),
    "evidence": _("onderbouwing (notitie of link)"),
}
# A school_field question fills this field of the school when the coordinator accepts the
# answers: its three scale steps map in order onto these choices.
SCHOOL_FIELDS = ("acoustics", "low_stimulus_room", "accessibility")
SCHOOL_FIELD_STEPS = (
    School.Suitability.POOR,
    School.Suitability.FAIR,
    School.Suitability.GOOD,
)


class Question:
    """One question of a version's snapshot: its rules for a typed answer and its display."""

    def __init__(self, data: dict, section: dict | None = None):
        self.data = data
        self.section = section or {}
        self.key = data["key"]
        self.type = data["type"]
        self.text = data["text"]
        self.help = data.get("help", "")
        self.source = data.get("source", "")
        self.scale = list(data.get("scale", []))
        self.min = data.get("min")
        self.max = data.get("max")
        self.school_field = data.get("school_field", "")
        self.toolkit_items = list(data.get("toolkit_items", []))
        self.measures = list(data.get("measures", []))

    def __repr__(self):
        return f"<Question {self.key}>"

    @property
    def choices(self) -> list[tuple[str, str]]:
        if self.type == "yes_partly_no":
            return list(YES_PARTLY_NO.items())
        if self.type == "scale":
            return [(str(n), label) for n, label in enumerate(self.scale, start=1)]
        return []

    def clean(self, raw) -> str:
        """The stored form of a typed answer ('' for none), or a Dutch ValidationError."""
        value = (raw or "").strip()
        if not value or self.type == "evidence":
            return ""
        if self.type in ("yes_partly_no", "scale"):
            if value not in dict(self.choices):
                if self.type == "scale":
                    raise ValidationError(
                        _("Kies een van de stappen van de schaal (%(steps)s).")
                        % {"steps": ", ".join(self.scale)}
                    )
                raise ValidationError(_("Kies ja, deels, nee of niet van toepassing."))
            return value
        if self.type == "number":
            return self._clean_number(value)
        if self.type == "date":
            return self._clean_date(value).isoformat()
        limit = SHORT_TEXT_MAX if self.type == "short_text" else LONG_TEXT_MAX
        if len(value) > limit:
            raise ValidationError(
                _("Dit antwoord is te lang: ten hoogste %(max)d tekens (nu %(n)d).")
                % {"max": limit, "n": len(value)}
            )
        return value

    def _clean_number(self, value) -> str:
        value = value.replace(" ", "")
        if DUTCH_THOUSANDS.fullmatch(value):
            value = value.replace(".", "")  # "1.000" is a thousand in Dutch, not 1
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(_("Vul een getal in, bijvoorbeeld 12 of 2,5."))
        if (self.min is not None and number < Decimal(str(self.min))) or (
            self.max is not None and number > Decimal(str(self.max))
        ):
            raise ValidationError(self.bounds_message())
        text = format(number.normalize(), "f")
        return text

    def bounds_hint(self) -> str:
        """The bounds of a number question, shown next to the field before a mistake."""
        if self.type != "number" or (self.min is None and self.max is None):
            return ""
        if self.min is not None and self.max is not None:
            return _("Een getal van %(min)s tot en met %(max)s.") % {
                "min": self.min,
                "max": self.max,
            }
        if self.min is not None:
            return _("Een getal van ten minste %(min)s.") % {"min": self.min}
        return _("Een getal van ten hoogste %(max)s.") % {"max": self.max}

    def bounds_message(self) -> str:
        if self.min is not None and self.max is not None:
            return _("Vul een getal van %(min)s tot en met %(max)s in.") % {
                "min": self.min,
                "max": self.max,
            }
        if self.min is not None:
            return _("Vul een getal van ten minste %(min)s in.") % {"min": self.min}
        return _("Vul een getal van ten hoogste %(max)s in.") % {"max": self.max}

    @staticmethod
    def _clean_date(value) -> datetime.date:
        for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
            try:
                day = datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a date)
            except ValueError:
                continue
            if day.year >= 1990:
                return day
        raise ValidationError(_("Vul een geldige datum in, bijvoorbeeld 31-01-2026."))

    def is_answered(self, answer) -> bool:
        """Answered means an answer is given: a value, or for an evidence question (which
        has no value) a note or a link. A note, link or comment next to an empty
        yes/partly/no, scale or other question does not answer it."""
        if answer is None:
            return False
        if self.type == "evidence":
            return bool(answer.evidence_note or answer.evidence_link)
        return bool(answer.value)

    def display(self, value: str) -> str:
        """The answer as it reads on the page, in the words of this version."""
        if not value:
            return ""
        if self.choices:
            return str(dict(self.choices).get(value, value))
        if self.type == "number":
            return value.replace(".", ",")
        if self.type == "date":
            try:
                return datetime.date.fromisoformat(value).strftime("%d-%m-%Y")
            except ValueError:
                return value
        return value


def clean_link(raw) -> str:
    value = (raw or "").strip()
    if not value:
        return ""
    if len(value) > LINK_MAX:
        raise ValidationError(
            _("Deze link is te lang: ten hoogste %(max)d tekens.") % {"max": LINK_MAX}
        )
    if not re.match(r"^https?://", value, re.IGNORECASE):
        value_with_scheme = f"https://{value}"
    else:
        value_with_scheme = value
    try:
        URLValidator(schemes=["http", "https"])(value_with_scheme)
    except ValidationError:
        raise ValidationError(
            _("Dit is geen geldige link; schrijf bijvoorbeeld https://www.school.nl/beleid.")
        ) from None
    return value_with_scheme


def clean_note(raw, *, what) -> str:
    value = (raw or "").strip()
    if len(value) > LONG_TEXT_MAX:
        raise ValidationError(
            _("%(what)s is te lang: ten hoogste %(max)d tekens (nu %(n)d).")
            % {"what": what, "max": LONG_TEXT_MAX, "n": len(value)}
        )
    return value


class Audience(models.TextChoices):
    SCHOOLLEIDER = "schoolleider", _("schoolleider")
    COORDINATOR = "coordinator", _("AD-coördinator")


class ChecklistTemplate(models.Model):
    """A checklist as the functional admin keeps it: `content` is the draft document;
    publishing it (admin action, or the loader for a shipped file) makes a version."""

    slug = models.SlugField(_("sleutel"), max_length=80, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    purpose = models.TextField(_("doel"), blank=True)
    audience = models.CharField(
        _("voor"), max_length=20, choices=Audience, default=Audience.SCHOOLLEIDER
    )
    content = models.JSONField(_("inhoud (concept)"), default=dict)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("checklistsjabloon")
        verbose_name_plural = _("checklistsjablonen")

    def __str__(self):
        return self.title

    def take_header_from_content(self):
        """Slug, title, purpose and audience come from the document: one source."""
        for name in ("slug", "title", "purpose", "audience"):
            setattr(self, name, self.content.get(name, "") or getattr(self, name))

    def latest_version(self):
        return self.versions.order_by("-number").first()


class TemplateVersion(models.Model):
    class Source(models.TextChoices):
        FILE = "bestand", _("uit het bestand")
        ADMIN = "beheer", _("in het beheer")

    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("sjabloon"),
    )
    number = models.PositiveIntegerField(_("versie"))
    content = models.JSONField(_("inhoud"))
    source = models.CharField(_("bron"), max_length=10, choices=Source, default=Source.ADMIN)
    published_at = models.DateTimeField(_("gepubliceerd op"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
    )

    class Meta:
        ordering = ["template", "number"]
        verbose_name = _("versie van een checklist")
        verbose_name_plural = _("versies van checklists")
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="checklist_version_unique")
        ]

    def __str__(self):
        return f"{self.content.get('title', self.template_id)} (v{self.number})"

    @property
    def title(self):
        return self.content.get("title", "")

    @property
    def purpose(self):
        return self.content.get("purpose", "")

    @property
    def sections(self) -> list[dict]:
        """Sections with their questions as Question objects (cached per instance)."""
        cached = getattr(self, "_sections", None)
        if cached is None:
            cached = [
                {**section, "questions": [Question(q, section) for q in section["questions"]]}
                for section in self.content.get("sections", [])
            ]
            self._sections = cached
        return cached

    @property
    def questions(self) -> dict[str, Question]:
        return {q.key: q for section in self.sections for q in section["questions"]}


class Assignment(RegionBound):
    """A template version given to one school by a coordinator of the region."""

    class Status(models.TextChoices):
        ASSIGNED = "toegewezen", _("toegewezen")
        IN_PROGRESS = "bezig", _("bezig")
        SUBMITTED = "ingediend", _("ingediend")
        REOPENED = "heropend", _("heropend")
        REVIEWED = "beoordeeld", _("beoordeeld")

    OPEN = (Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED)

    template_version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("checklist"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    due_date = models.DateField(_("in te dienen vóór"))
    message = models.TextField(_("bericht"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.ASSIGNED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("toegewezen door"),
    )
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("toegewezen checklist")
        verbose_name_plural = _("toegewezen checklists")
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self):
        return f"{self.template_version.title}: {self.school}"

    @property
    def is_open(self) -> bool:
        """Still to be filled in; a submitted checklist is read-only until reopened."""
        return self.status in self.OPEN

    @property
    def is_late(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class Answer(models.Model):
    """The answer to one question (by key) of an assignment, with its evidence and comment.
    `version` counts saves: a save made against an older count is refused (services)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("checklist")
    )
    question_key = models.CharField(_("vraag"), max_length=80)
    value = models.TextField(_("antwoord"), blank=True)
    evidence_note = models.TextField(_("onderbouwing"), blank=True)
    evidence_link = models.URLField(_("link naar onderbouwing"), max_length=LINK_MAX, blank=True)
    comment = models.TextField(_("opmerking"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("beantwoord door"),
    )
    answered_at = models.DateTimeField(_("beantwoord op"), default=timezone.now)
    version = models.PositiveIntegerField(_("versie"), default=0)

    class Meta:
        ordering = ["assignment", "question_key"]
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "question_key"], name="checklist_answer_unique"
            )
        ]

    def __str__(self):
        return f"{self.assignment_id}/{self.question_key}"

    def get_additional_data(self):
        # auditlog: the entry belongs to the assignment's region (recent_changes per region).
        return {"region": self.assignment.region_id}


class AssignmentEvent(models.Model):
    """The history of an assignment: assigned, submitted, reopened (with the reason),
    reviewed, building answers accepted."""

    class Kind(models.TextChoices):
        ASSIGNED = "toegewezen", _("toegewezen")
        SUBMITTED = "ingediend", _("ingediend")
        REOPENED = "heropend", _("heropend")
        REVIEWED = "beoordeeld", _("beoordeeld")
        # The coordinator accepted the building answers into the school's fields; the
        # reason says which field changed from what to what.
        BUILDING = "gebouw", _("antwoorden over het gebouw overgenomen")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="events", verbose_name=_("checklist")
    )
    kind = models.CharField(_("gebeurtenis"), max_length=12, choices=Kind)
    reason = models.TextField(_("reden"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("gebeurtenis van een checklist")
        verbose_name_plural = _("gebeurtenissen van checklists")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%d-%m-%Y})"


class Remark(models.Model):
    """The coordinator's remark on one question (by key) of a submitted checklist; the
    school leader reads it on the checklist page. One per question: saving again
    replaces it, saving it empty removes it."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="remarks", verbose_name=_("checklist")
    )
    question_key = models.CharField(_("vraag"), max_length=80)
    text = models.TextField(_("opmerking van de coördinator"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    # How often it was saved: a form loaded before the last save is refused (as answers).
    version = models.PositiveIntegerField(_("versie"), default=0)

    class Meta:
        ordering = ["assignment", "question_key"]
        verbose_name = _("opmerking bij een vraag")
        verbose_name_plural = _("opmerkingen bij vragen")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "question_key"], name="checklist_remark_unique"
            )
        ]

    def __str__(self):
        return f"{self.assignment_id}/{self.question_key}"

    def get_additional_data(self):
        return {"region": self.assignment.region_id}
