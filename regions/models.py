"""Institutions, their (v)so locations, regions and the partners in a region.

Also the role model: a RoleAssignment gives a user one role in one scope
(institution, region or school). regions/selectors.py turns those into querysets.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

BRIN_RE = re.compile(r"^[0-9]{2}[A-Z0-9]{2}$")
SWV_CODE_RE = re.compile(r"^(PO|VO) \d{2}-\d{2}$")


def normalise_swv_code(value: str) -> str:
    """DUO writes "VO 28-01"; accept "VO2801", "vo 28.01" and friends as the same code."""
    compact = re.sub(r"[\s.\-]", "", (value or "").upper())
    match = re.fullmatch(r"(PO|VO)(\d{2})(\d{2})", compact)
    if not match:
        return (value or "").strip().upper()
    return f"{match[1]} {match[2]}-{match[3]}"


def validate_swv_code(value: str) -> None:
    if not SWV_CODE_RE.fullmatch(value or ""):
        raise ValidationError(
            _(
                "'%(value)s' is geen geldige code van een samenwerkingsverband. "
                "Gebruik de schrijfwijze van DUO, bijvoorbeeld 'VO 28-01' of 'PO 20-01'."
            ),
            params={"value": value},
            code="swv_code",
        )


def validate_brin(value: str) -> None:
    if not BRIN_RE.fullmatch(value or ""):
        raise ValidationError(
            _(
                "'%(value)s' is geen geldig BRIN-nummer. Een BRIN-nummer heeft 4 tekens: "
                "2 cijfers en 2 letters of cijfers, bijvoorbeeld '12AB'."
            ),
            params={"value": value},
            code="brin",
        )


validate_vestigingsnummer = RegexValidator(
    r"^\d{2}$",
    _("Het vestigingsnummer bestaat uit precies 2 cijfers, bijvoorbeeld '00' of '01'."),
    code="vestigingsnummer",
)
POSTCODE_RE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """ "1234ab", "1234 AB" and " 1234  ab " become "1234 AB"; anything else stays as typed."""
    compact = re.sub(r"\s+", "", (value or "")).upper()
    match = POSTCODE_RE.fullmatch(compact)
    return f"{match[1]} {match[2]}" if match else (value or "").strip()


def validate_postcode(value: str) -> None:
    """A Dutch postcode: four digits (not starting with 0) and two letters."""
    if value and not POSTCODE_RE.fullmatch(re.sub(r"\s+", " ", value.strip().upper())):
        raise ValidationError(
            _("'%(value)s' is geen Nederlandse postcode; schrijf bijvoorbeeld '1234 AB'."),
            params={"value": value},
            code="postcode",
        )


validate_gemeentecode = RegexValidator(
    r"^\d{4}$",
    _("De CBS-gemeentecode bestaat uit 4 cijfers, bijvoorbeeld '0363'."),
    code="gemeente",
)


class Institution(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instelling")
        verbose_name_plural = _("instellingen")

    def __str__(self):
        return self.name


class Gemeente(models.Model):
    name = models.CharField(_("naam"), max_length=100)
    code = models.CharField(
        _("CBS-code"), max_length=4, unique=True, validators=[validate_gemeentecode]
    )
    transport_policy = models.TextField(
        _("beleid leerlingenvervoer"),
        blank=True,
        help_text=_("Hoe de gemeente leerlingenvervoer regelt, met contact en termijnen."),
    )
    # Optimistic locking (versioning.py): a form loaded before the last save is refused.
    version = models.PositiveIntegerField(_("versie"), default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self):
        return self.name


class Samenwerkingsverband(models.Model):
    class Sector(models.TextChoices):
        PO = "po", _("primair onderwijs")
        VO = "vo", _("voortgezet onderwijs")

    class AllocationModel(models.TextChoices):
        SCHOOL = "school", _("schoolmodel (middelen naar de scholen)")
        EXPERTISE = "expertise", _("expertisemodel (voorzieningen via het swv)")
        MIXED = "gemengd", _("gemengd model")
        UNKNOWN = "onbekend", _("onbekend")

    class Stance(models.TextChoices):
        SUPPORTIVE = "positief", _("werkt actief samen met ambulante dienstverlening")
        NEUTRAL = "neutraal", _("neutraal")
        RESERVED = "terughoudend", _("terughoudend")
        UNKNOWN = "onbekend", _("onbekend")

    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[validate_swv_code],
        help_text=_("Zoals DUO het schrijft, bijvoorbeeld 'VO 28-01'."),
    )
    name = models.CharField(_("naam"), max_length=200)
    sector = models.CharField(_("sector"), max_length=2, choices=Sector)
    allocation_model = models.CharField(
        _("toewijzingsmodel"),
        max_length=20,
        choices=AllocationModel,
        default=AllocationModel.UNKNOWN,
    )
    stance_on_ad = models.CharField(
        _("houding t.o.v. ambulante dienstverlening"),
        max_length=20,
        choices=Stance,
        default=Stance.UNKNOWN,
    )
    notes = models.TextField(_("notities"), blank=True)
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    place = models.CharField(_("plaats"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)

    # Optimistic locking (versioning.py): a form loaded before the last save is refused.
    version = models.PositiveIntegerField(_("versie"), default=0, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("samenwerkingsverband")
        verbose_name_plural = _("samenwerkingsverbanden")

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("regions:swv_detail", args=[self.pk])

    def clean(self):
        self.code = normalise_swv_code(self.code)
        self.postcode = normalise_postcode(self.postcode)
        if self.code[:2] in self.Sector.values and self.sector and self.code[:2] != self.sector:
            raise ValidationError(
                {
                    "sector": _(
                        "De sector past niet bij de code: %(code)s is een %(sector)s-"
                        "samenwerkingsverband."
                    )
                    % {"code": self.code, "sector": self.code[:2]}
                }
            )


class Region(models.Model):
    """The planning unit of an institution: its pupils, partners and plans."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="regions", verbose_name=_("instelling")
    )
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("omschrijving"), blank=True)
    swvs = models.ManyToManyField(
        Samenwerkingsverband,
        blank=True,
        related_name="regions",
        verbose_name=_("samenwerkingsverbanden"),
    )
    gemeenten = models.ManyToManyField(
        Gemeente, blank=True, related_name="regions", verbose_name=_("gemeenten")
    )

    # Optimistic locking (versioning.py): a form loaded before the last save is refused.
    version = models.PositiveIntegerField(_("versie"), default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="region_unique_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:region_detail", args=[self.pk])


class RegionBound(models.Model):
    """Base of every region-scoped record in every app: optimistic locking (`version`, see
    versioning.py) and audit entries that recent_changes finds by region."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    version = models.PositiveIntegerField(_("versie"), default=0, editable=False)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True

    def get_additional_data(self):
        # auditlog stores this, so regions.selectors.recent_changes finds the entry.
        return {"region": self.region_id}


class OrganisationRef(models.Model):
    """Base of a "party" row (an initiative's partner, an agreement's party): exactly one
    partner of the region (school, board, SWV, municipality) or a name typed in for anyone
    else (a care partner, OCW). The subclass adds its own foreign key and its role."""

    school = models.ForeignKey(
        "regions.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    bestuur = models.ForeignKey(
        "regions.Schoolbestuur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("schoolbestuur"),
    )
    swv = models.ForeignKey(
        "regions.Samenwerkingsverband",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("samenwerkingsverband"),
    )
    gemeente = models.ForeignKey(
        "regions.Gemeente",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    other_name = models.CharField(
        _("andere partij"),
        max_length=200,
        blank=True,
        help_text=_("Alleen voor een partij die niet in de regio staat, zoals een zorgpartner."),
    )

    KINDS = ("school", "bestuur", "swv", "gemeente")

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def organisation(self):
        """The partner object, or None for a typed-in name."""
        chosen = [getattr(self, kind) for kind in self.KINDS if getattr(self, f"{kind}_id")]
        return chosen[0] if chosen else None

    @property
    def name(self) -> str:
        return str(self.organisation or self.other_name)

    def clean(self):
        chosen = [kind for kind in self.KINDS if getattr(self, f"{kind}_id")]
        self.other_name = (self.other_name or "").strip()
        if len(chosen) + bool(self.other_name) != 1:
            raise ValidationError(
                _("Kies precies één partij: een partner uit de regio of een andere naam.")
            )


class Location(models.Model):
    """A (v)so location of an institution; closing ones are why pupils move."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PHASING_OUT = "afbouw", _("in afbouw")
        CLOSED = "gesloten", _("gesloten")

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=_("instelling"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("regio"),
    )
    name = models.CharField(_("naam"), max_length=150)
    place = models.CharField(_("plaats"), max_length=100)
    kind = models.CharField(
        _("soort"),
        max_length=10,
        choices=[("so", "so"), ("vso", "vso"), ("so-vso", "so/vso")],
        default="vso",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    phase_out_from = models.DateField(_("afbouw vanaf"), null=True, blank=True)
    closing_date = models.DateField(_("sluitingsdatum"), null=True, blank=True)
    notes = models.TextField(_("notities"), blank=True)

    # Optimistic locking (versioning.py): a form loaded before the last save is refused.
    version = models.PositiveIntegerField(_("versie"), default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")

    def __str__(self):
        return f"{self.name} ({self.place})"

    def clean(self):
        if self.status != self.Status.OPEN and not self.closing_date:
            raise ValidationError(
                {
                    "closing_date": _(
                        "Vul de sluitingsdatum in voor een locatie in afbouw of gesloten."
                    )
                }
            )
        if self.phase_out_from and self.closing_date and self.phase_out_from > self.closing_date:
            raise ValidationError({"phase_out_from": _("De afbouw begint vóór de sluitingsdatum.")})


class Schoolbestuur(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    number = models.CharField(
        _("bevoegd-gezagnummer"),
        max_length=5,
        unique=True,
        validators=[
            RegexValidator(r"^\d{5}$", _("Het bevoegd-gezagnummer bestaat uit 5 cijfers."))
        ],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("schoolbestuur")
        verbose_name_plural = _("schoolbesturen")

    def __str__(self):
        return self.name


class Level(models.Model):
    """An education level a school offers (PrO, vmbo-b, havo, ...)."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("naam"), max_length=50)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("niveau")
        verbose_name_plural = _("niveaus")

    def __str__(self):
        return self.name


class School(models.Model):
    class Sector(models.TextChoices):
        PO = "po", _("primair onderwijs")
        SO = "so", _("speciaal onderwijs")
        VSO = "vso", _("voortgezet speciaal onderwijs")
        VO = "vo", _("voortgezet onderwijs")
        MBO = "mbo", _("middelbaar beroepsonderwijs")

    class Suitability(models.TextChoices):
        GOOD = "goed", _("goed")
        FAIR = "redelijk", _("redelijk")
        POOR = "onvoldoende", _("onvoldoende")
        UNKNOWN = "onbekend", _("onbekend")

    brin = models.CharField(_("BRIN"), max_length=4, validators=[validate_brin])
    vestigingsnummer = models.CharField(
        _("vestigingsnummer"), max_length=2, validators=[validate_vestigingsnummer]
    )
    name = models.CharField(_("naam"), max_length=200)
    sector = models.CharField(_("sector"), max_length=4, choices=Sector)
    levels = models.ManyToManyField(Level, blank=True, verbose_name=_("niveaus"))
    cluster = models.PositiveSmallIntegerField(
        _("cluster"),
        null=True,
        blank=True,
        choices=[(i, str(i)) for i in range(1, 5)],
        help_text=_("Alleen voor so/vso."),
    )
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    place = models.CharField(_("plaats"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    bestuur = models.ForeignKey(
        Schoolbestuur,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name=_("schoolbestuur"),
    )
    # PROTECT: deleting an SWV or municipality would silently take its schools out of
    # their region (and change who may edit them and whose access list shows them).
    swv = models.ForeignKey(
        Samenwerkingsverband,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name=_("samenwerkingsverband"),
    )
    gemeente = models.ForeignKey(
        Gemeente,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name=_("gemeente"),
    )
    is_partner = models.BooleanField(
        _("partnerschool"),
        default=False,
        help_text=_(
            "De school werkt samen met cluster 2 (ontvangt leerlingen of ambulante begeleiding)."
        ),
    )
    acoustics = models.CharField(
        _("akoestiek"), max_length=12, choices=Suitability, default=Suitability.UNKNOWN
    )
    low_stimulus_room = models.CharField(
        _("prikkelarme ruimte"), max_length=12, choices=Suitability, default=Suitability.UNKNOWN
    )
    accessibility = models.CharField(
        _("toegankelijkheid"), max_length=12, choices=Suitability, default=Suitability.UNKNOWN
    )
    building_notes = models.TextField(_("notities over het gebouw"), blank=True)

    # Optimistic locking (versioning.py): a form loaded before the last save is refused.
    version = models.PositiveIntegerField(_("versie"), default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        constraints = [
            models.UniqueConstraint(fields=["brin", "vestigingsnummer"], name="school_unique_code")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:school_detail", args=[self.pk])

    @property
    def code(self):
        return f"{self.brin}{self.vestigingsnummer}"

    def clean(self):
        self.brin = (self.brin or "").strip().upper()
        self.postcode = normalise_postcode(self.postcode)
        if self.cluster and self.sector not in {self.Sector.SO, self.Sector.VSO}:
            raise ValidationError({"cluster": _("Een cluster hoort alleen bij so of vso.")})
        if self.swv and self.sector in {self.Sector.PO, self.Sector.VO}:
            if self.swv.sector != self.sector:
                raise ValidationError(
                    {
                        "swv": _(
                            "Een %(sector)s-school hoort bij een %(sector)s-samenwerkingsverband."
                        )
                        % {"sector": self.sector.upper()}
                    }
                )


class SchoolContact(models.Model):
    class Role(models.TextChoices):
        DIRECTOR = "directeur", _("directeur / schoolleider")
        IB = "ib", _("intern begeleider (IB-er)")
        CARE = "zorg", _("zorgcoördinator")
        TEAM = "team", _("teamleider")
        MENTOR = "mentor", _("mentor")
        OTHER = "anders", _("anders")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("naam"), max_length=120)
    role = models.CharField(_("rol"), max_length=10, choices=Role)
    email = models.EmailField(_("e-mail (werk)"), blank=True)
    phone = models.CharField(_("telefoon (werk)"), max_length=20, blank=True)

    class Meta:
        ordering = ["role", "name"]
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("AD-coördinator")
    BEGELEIDER = "begeleider", _("ambulant begeleider")
    SCHOOLLEIDER = "schoolleider", _("schoolleider")
    MANAGER = "manager", _("manager instelling")
    BEHEERDER = "beheerder", _("functioneel beheerder")


# Which scope each role is given in; the model refuses any other combination.
ROLE_SCOPE = {
    Role.COORDINATOR: "region",
    Role.BEGELEIDER: "region",
    Role.SCHOOLLEIDER: "school",
    Role.MANAGER: "institution",
    Role.BEHEERDER: None,
}


SCOPE_COLUMNS = ("institution", "region", "school")

# Roles granted on the web wait for a second person (four eyes) before they count: the
# ones that open pupil records, and the beheerder role, whose holder approves the others.
# The manager sees rounded figures only, so his role counts at once.
ROLES_NEEDING_APPROVAL = (Role.COORDINATOR, Role.BEGELEIDER, Role.SCHOOLLEIDER, Role.BEHEERDER)
# A change to one of these makes the role a new grant that waits again.
GRANT_FIELDS = ("user_id", "role", "institution_id", "region_id", "school_id")
APPROVAL_COLUMNS = ("approved_at", "approved_by", "approved_regions")


def school_region_ids(school_ids) -> dict:
    """{school id: ids of the regions it belongs to now} in one query."""
    regions = {pk: set() for pk in school_ids}
    for school_id, via_swv, via_gemeente in School.objects.filter(pk__in=regions).values_list(
        "pk", "swv__regions", "gemeente__regions"
    ):
        regions[school_id] |= {pk for pk in (via_swv, via_gemeente) if pk}
    return regions


def role_scope_fits():
    """ROLE_SCOPE as a condition: each role has its own scope column filled, no other."""
    condition = models.Q()
    for role, wanted in ROLE_SCOPE.items():
        condition |= models.Q(
            role=role.value, **{f"{column}__isnull": column != wanted for column in SCOPE_COLUMNS}
        )
    return condition


class RoleAssignmentQuerySet(models.QuerySet):
    def in_force(self):
        """Roles that count: approved, or of a kind that needs no approval. A school
        leader's role also needs its approval to cover the regions its school is in now:
        see `covering_current_regions`."""
        return self.filter(
            models.Q(approved_at__isnull=False) | ~models.Q(role__in=ROLES_NEEDING_APPROVAL)
        )

    def pending(self):
        return self.filter(approved_at__isnull=True, role__in=ROLES_NEEDING_APPROVAL)

    def grant_directly(self, *, user, role, **scope):
        """A role given on the command line (create_beheerder, seed_demo): the operator
        on the server is trusted, so it counts at once; a pending one is approved."""
        from django.utils import timezone

        covered = sorted(self.model(role=role, **scope).region_ids())
        assignment, _created = self.get_or_create(
            user=user,
            role=role,
            **scope,
            defaults={"approved_at": timezone.now(), "approved_regions": covered},
        )
        if assignment.awaits_approval():
            assignment.approved_at = timezone.now()
            assignment.approved_regions = sorted(assignment.region_ids())
            assignment.save(update_fields=["approved_at", "approved_regions"])
        return assignment

    def moved_school_roles(self):
        """Approved school roles whose school now reaches a region their approval did not
        cover (the school moved): they wait for a coordinator of that region again."""
        roles = list(
            self.filter(
                approved_at__isnull=False, school__isnull=False, role__in=ROLES_NEEDING_APPROVAL
            )
        )
        current = school_region_ids({role.school_id for role in roles})
        return [role for role in roles if role.unapproved_region_ids(current[role.school_id])]


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("instelling"),
        help_text=_("Alleen voor de rol manager."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("regio"),
        help_text=_("Alleen voor de rollen AD-coördinator en ambulant begeleider."),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("school"),
        help_text=_("Alleen voor de rol schoolleider."),
    )
    # Four eyes: a role granted on the web counts once someone else approved it
    # (regions.services.approve_role). Empty approved_by with a date: approved on the
    # command line or when this was introduced. PROTECT: accounts are deactivated, never
    # deleted (regions.admin.UserAdmin), so who granted and approved stays on record.
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gegeven door"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goedgekeurd door"),
    )
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    # The regions the approval covers (ids): a school role stops counting when its school
    # moves into another region, until a coordinator there (or a beheerder) approves it.
    approved_regions = models.JSONField(
        _("goedgekeurd voor regio's"), default=list, blank=True, editable=False
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        # The database itself refuses a role without its scope, with a scope that does not
        # fit, or twice. One unique constraint per scope column: a plain unique over all
        # three columns never fires, because two of them are always NULL.
        constraints = [
            models.CheckConstraint(
                condition=role_scope_fits(),
                name="role_scope_fits",
                violation_error_message=_(
                    "Deze rol past niet bij de gekozen instelling, regio of school."
                ),
            ),
            *[
                models.UniqueConstraint(
                    fields=["user", "role", column],
                    condition=models.Q(**{f"{column}__isnull": False}),
                    name=f"role_unique_{column}",
                    violation_error_message=_("Deze gebruiker heeft deze rol hier al."),
                )
                for column in SCOPE_COLUMNS
            ],
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(role="beheerder"),
                name="role_unique_beheerder",
                violation_error_message=_("Deze gebruiker is al functioneel beheerder."),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.scope_object or _('alles')}"

    def save(self, *args, **kwargs):
        # Another user, role or scope is a new grant: it waits for approval again, so an
        # approved role cannot be moved onto a sock puppet or into another region.
        if self.pk and self.approved_at:
            stored = type(self).objects.filter(pk=self.pk).values(*GRANT_FIELDS).first()
            if stored and any(stored[f] != getattr(self, f) for f in GRANT_FIELDS):
                self.approved_at = None
                self.approved_by = None
                self.approved_regions = []
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], *APPROVAL_COLUMNS}
        super().save(*args, **kwargs)

    @property
    def scope_object(self):
        return self.region or self.school or self.institution

    @property
    def needs_approval(self) -> bool:
        return self.role in ROLES_NEEDING_APPROVAL

    @property
    def is_pending(self) -> bool:
        return self.needs_approval and self.approved_at is None

    def unapproved_region_ids(self, current=None) -> set:
        """Regions this role reaches that no approval covers: all of them while pending;
        for an approved school role, those its school moved into since."""
        if not self.needs_approval:
            return set()
        if self.approved_at and not self.school_id:
            return set()
        current = self.region_ids() if current is None else current
        if self.approved_at is None:
            return current
        return current - set(self.approved_regions or [])

    def awaits_approval(self) -> bool:
        return self.is_pending or bool(self.unapproved_region_ids())

    @property
    def school_moved(self) -> bool:
        """Approved once, waiting again because its school is in another region now."""
        return self.approved_at is not None and self.awaits_approval()

    def region_ids(self) -> set:
        """The regions this role reaches: its region, its school's or its institution's."""
        if self.region_id:
            return {self.region_id}
        if self.school_id:
            regions = Region.objects.filter(
                models.Q(swvs__schools=self.school_id) | models.Q(gemeenten__schools=self.school_id)
            )
        elif self.institution_id:
            regions = Region.objects.filter(institution_id=self.institution_id)
        else:
            return set()
        return set(regions.values_list("pk", flat=True))

    def get_additional_data(self):
        # auditlog stores this on the entry; regions.selectors.role_changes shows it to the
        # coordinators of these regions. The regions are keys so that one has_key lookup
        # finds them on SQLite and PostgreSQL alike; a changed scope also tells the old ones.
        regions = self.region_ids()
        stored = type(self).objects.filter(pk=self.pk).first() if self.pk else None
        if stored:
            regions |= stored.region_ids()
        return {
            "role_regions": {str(pk): True for pk in sorted(regions)},
            "user": self.user.get_full_name() or self.user.get_username(),
            "role": self.role,
            "scope": str(self.scope_object or ""),
            "approval": self._approval_event(stored),
        }

    def _approval_event(self, stored) -> str:
        """What this entry means for the four eyes: 'rejected' (deleted while pending),
        'approved' (just now), 'pending' (waits), or '' (counts, nothing to approve)."""
        if getattr(self, "_rejected", False):
            return "rejected"
        if getattr(self, "_school_moved", False):
            return "moved"
        if (
            stored
            and self.approved_at is not None
            and (
                stored.approved_at is None
                or set(stored.approved_regions or []) != set(self.approved_regions or [])
            )
        ):
            return "approved"
        return "pending" if self.is_pending else ""

    def clean(self):
        wanted = ROLE_SCOPE.get(self.role)
        given = {
            "institution": self.institution_id,
            "region": self.region_id,
            "school": self.school_id,
        }
        filled = [name for name, value in given.items() if value]
        if wanted is None and filled:
            raise ValidationError(
                _(
                    "Een functioneel beheerder werkt voor de hele applicatie: laat instelling, "
                    "regio en school leeg."
                )
            )
        if wanted and filled != [wanted]:
            labels = {
                "institution": _("een instelling"),
                "region": _("een regio"),
                "school": _("een school"),
            }
            raise ValidationError(
                _(
                    "De rol %(role)s hoort bij precies %(scope)s: vul dat veld in en laat de "
                    "andere (instelling, regio, school) leeg."
                )
                % {"role": self.get_role_display(), "scope": labels[wanted]}
            )


# Every step of an import writes the job (status, then the outcome); a job that has not
# moved for this long lost its worker.
IMPORT_STUCK_AFTER = timedelta(minutes=15)


class ImportJob(models.Model):
    """One uploaded import file on its way through the worker: preview, then (after the
    uploader confirms) the import. The file lives in this row, not on a disk of one app
    server: every server and worker shares only the database."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        PREVIEWING = "previewing", _("voorbeeld wordt gemaakt")
        PREVIEW_READY = "preview_ready", _("voorbeeld klaar")
        IMPORTING = "importing", _("wordt geïmporteerd")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")
        CANCELLED = "cancelled", _("geannuleerd")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("gebruiker"),
    )
    # None: a national import by the functional admin.
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("regio"),
    )
    # Dotted path of the ImportPipeline instance (regions.resources.DUO_IMPORT, ...).
    pipeline = models.CharField(_("import"), max_length=100)
    kind = models.CharField(_("soort bestand"), max_length=40)
    filename = models.CharField(_("bestandsnaam"), max_length=255, blank=True)
    # The upload as sent until the preview has read it; then only the columns the import
    # reads (JSON), so a column left in the file never waits; emptied once finished.
    upload = models.BinaryField(_("bestand"), blank=True, default=b"")
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.QUEUED, db_index=True
    )
    rows_done = models.PositiveIntegerField(_("regels verwerkt"), default=0)
    rows_total = models.PositiveIntegerField(_("regels"), default=0)
    # totals, per-row errors, what each row does (first 200 rows), column labels
    preview = models.JSONField(_("voorbeeld"), default=dict, blank=True)
    outcome = models.JSONField(_("resultaat"), default=dict, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    # The uploader's language: the worker writes the row errors in it.
    language = models.CharField(max_length=10, default="nl")
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("importtaak")
        verbose_name_plural = _("importtaken")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.pipeline} {self.kind} #{self.pk}"

    @property
    def is_running(self):
        return self.status in (
            self.Status.QUEUED,
            self.Status.PREVIEWING,
            self.Status.IMPORTING,
        )

    @property
    def is_stuck(self):
        """Still waiting long after its last step: its worker died (as
        plans.PlanDocument.is_stuck). The page stops polling and offers a retry."""
        return (
            self.is_running
            and self.updated_at is not None
            and timezone.now() - self.updated_at > IMPORT_STUCK_AFTER
        )

    @property
    def is_waiting(self):
        """Running and still alive: the page polls."""
        return self.is_running and not self.is_stuck

    @property
    def percent(self):
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class AuditRegion(models.Model):
    """The region of an audit entry (django-auditlog's LogEntry keeps it in a JSON field,
    `additional_data["region"]`, see RegionBound.get_additional_data): a column with an
    index, so "recent changes" of a region reads its newest entries instead of walking the
    whole log. Filled by a signal on every new entry (regions/audit_index.py); entries
    written in bulk are indexed with `audit_index.index_entries`."""

    log_entry = models.OneToOneField(
        "auditlog.LogEntry", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # No database constraint: entries written while a region is deleted (its records'
    # deletions) may name it after it is gone; nobody asks for a deleted region's changes.
    region = models.ForeignKey(
        Region, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    timestamp = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["region", "-timestamp"], name="audit_region_recent")]

    def __str__(self):
        return f"{self.log_entry_id}: {self.region_id}"


class DataVersion(models.Model):
    """The version of a region's data (or of the shared data), for regions.data_version:
    in the database, so every web process, task worker and server sees a change at once
    and a cached page is never served after the data under it changed."""

    # The key is the primary key: restoring a dump (or a test's serialized database) into
    # rows that signals already made updates them instead of clashing.
    key = models.CharField(max_length=40, primary_key=True)
    version = models.CharField(max_length=32)

    def __str__(self):
        return f"{self.key}={self.version}"
