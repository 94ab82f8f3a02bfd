"""Import of pupils, CvO decisions and arrangements (CSV/XLSX) and the pupil export.

Rows are checked here, in Dutch, before django-import-export touches the model, so
every row error reads as a sentence a coordinator can act on. Every import is for one
region: codes of pupils in other regions are treated as unknown.
"""

import copy
import io
from datetime import date, datetime

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regions.imports import (
    ColumnResource,
    ImportFileError,
    ImportPipeline,
    bulk_audit,
    decode_csv,
    only_columns,
    read_xlsx,
    update_rows,
)
from regions.models import Gemeente, Level, Location, Role, RoleAssignment
from regions.numbers import plain_int
from regions.selectors import schools_in_region
from regions.spreadsheets import csv_safe

from .models import Arrangement, CvoBesluit, Pupil, TargetGroup, new_pupil_code

TRUE = {"ja", "j", "1", "x", "true", "waar", "yes"}
FALSE = {"nee", "n", "0", "", "false", "onwaar", "no"}


def read_table(raw: bytes, filename: str) -> tablib.Dataset:
    """CSV (UTF-8, UTF-16 or windows-1252; ';', ',' or tabs) or XLSX, with lower-case headers."""
    if filename.lower().endswith(".xlsx"):
        rows = read_xlsx(raw)
    else:
        rows = decode_csv(raw)
    headers = [str(h or "").strip().lower() for h in rows[0]]
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        row = list(row) + [""] * (len(headers) - len(row))
        dataset.append(["" if c is None else c for c in row[: len(headers)]])
    return dataset


def _text(row, name):
    value = row.get(name, "")
    return "" if value is None else str(value).strip()


def _date(row, name, label, *, required=False):
    value = row.get(name)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(row, name)
    if not text:
        if required:
            raise ValidationError(_("%(label)s ontbreekt.") % {"label": label})
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValidationError(
        _("%(label)s '%(value)s' is geen datum; schrijf bijvoorbeeld 2026-08-01 of 01-08-2026.")
        % {"label": label, "value": text}
    )


def _bool(row, name, label):
    text = _text(row, name).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValidationError(
        _("%(label)s '%(value)s': vul ja of nee in.") % {"label": label, "value": text}
    )


def _choice(row, name, label, choices, *, required=True):
    text = _text(row, name).lower()
    if not text and not required:
        return ""
    lookup = {str(v).lower(): v for v, _l in choices} | {str(lab).lower(): v for v, lab in choices}
    if text in lookup:
        return lookup[text]
    raise ValidationError(
        _("%(label)s '%(value)s' is onbekend. Kies uit: %(options)s.")
        % {
            "label": label,
            "value": text,
            "options": get_text_list([str(v) for v, _l in choices], _("of")),
        }
    )


def _region_pupil(row, region, name="leerlingcode"):
    code = _text(row, name).upper()
    if not code:
        raise ValidationError(_("De leerlingcode ontbreekt."))
    pupil = Pupil.objects.filter(region=region, code=code).first()
    if not pupil:
        raise ValidationError(
            _("Leerling %(code)s is onbekend in %(region)s.") % {"code": code, "region": region}
        )
    return pupil


def _region_school(row, region, name="school", known=None):
    """The region's school the row names; `known` maps (brin, vestiging) to the region's
    schools when the import looked them up once for the whole file."""
    text = _text(row, name).upper().replace(" ", "")
    if not text:
        return None
    brin, vestiging = text[:4], text[4:] or "00"
    if known is not None:
        school = known.get((brin, vestiging))
    else:
        school = schools_in_region(region).filter(brin=brin, vestigingsnummer=vestiging).first()
    if not school:
        raise ValidationError(
            _("School %(code)s is onbekend in %(region)s.") % {"code": text, "region": region}
        )
    return school


def _region_location(row, region, name="locatie", known=None):
    text = _text(row, name)
    if not text:
        return None
    if known is not None:
        location = known.get(text.lower())
    else:
        location = Location.objects.filter(region=region, name__iexact=text).first()
    if not location:
        raise ValidationError(
            _("(V)so-locatie '%(name)s' is onbekend in %(region)s.")
            % {"name": text, "region": region}
        )
    return location


class RegionResource(ColumnResource):
    # Relations the resource itself looked up in the region's own records: full_clean
    # need not query each of them again for every row.
    trusted_relations: tuple = ()

    def __init__(self, *, region):
        super().__init__()
        self.region = region

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own rules (full_clean) hold for imports as for forms: impossible
        dates, text too long, end before start. Each message names its field."""
        model = type(instance)
        try:
            instance.full_clean(
                exclude=[f.name for f in model._meta.fields if not f.editable]
                + list(self.trusted_relations),
                validate_unique=validate_unique,
            )
        except ValidationError as exc:
            messages = []
            for name, errors in exc.message_dict.items():
                try:
                    label = str(model._meta.get_field(name).verbose_name)
                except Exception:  # NON_FIELD_ERRORS
                    label = ""
                messages.extend(f"{label.capitalize()}: {e}" if label else e for e in errors)
            raise ValidationError(messages) from None


# Pupil fields and the row columns before_import_row parses them into.
PUPIL_COLUMNS = {
    "code": "code",
    "first_name": "voornaam",
    "last_name": "achternaam",
    "date_of_birth": "_geboortedatum",
    "target_group": "_doelgroep",
    "need_ngt": "_ngt",
    "need_hearing_technology": "_hoortechnologie",
    "need_speech_therapy": "_logopedie",
    "need_other": "andere behoefte",
    "current_school": "_school",
    "current_location": "_locatie",
    "level": "_niveau",
    "year_group": "_leerjaar",
    "home_gemeente": "_gemeente",
}


class PupilResource(RegionResource):
    """Pupils of one region. Every lookup is made once per file (before_import: one query
    per table) and the rows are written in batches, with their audit entries in bulk."""

    columns = PUPIL_COLUMNS
    trusted_relations = ("region", "current_school", "current_location", "level", "home_gemeente")

    class Meta:
        model = Pupil
        import_id_fields = ("code",)
        fields = tuple(PUPIL_COLUMNS)
        use_bulk = True
        batch_size = 1000
        skip_diff = True

    def get_queryset(self):
        return Pupil.objects.filter(region=self.region)

    def before_import(self, dataset, **kwargs):
        self._actor = kwargs.get("user")
        self._old = {}  # code -> the pupil as it was, for the audit trail
        self._pupils, self._identities = {}, {}
        for pupil in self.get_queryset().order_by("code"):
            self._pupils[pupil.code] = pupil
            identity = (pupil.first_name.lower(), pupil.last_name.lower(), pupil.date_of_birth)
            self._identities.setdefault(identity, pupil.code)
        self._schools = {
            (school.brin, school.vestigingsnummer): school
            for school in schools_in_region(self.region).order_by("pk")
        }
        self._locations = {}
        for location in Location.objects.filter(region=self.region).order_by("pk"):
            self._locations.setdefault(location.name.lower(), location)
        self._levels = {level.code: level for level in Level.objects.all()}
        self._gemeenten = {gemeente.code: gemeente for gemeente in Gemeente.objects.all()}
        self._codes = set()  # codes given to new pupils of this file

    def get_instance(self, instance_loader, row):
        pupil = self._pupils.get(row.get("code") or "")
        if pupil is not None and pupil.code not in self._old:
            self._old[pupil.code] = copy.copy(pupil)
        return pupil

    def before_import_row(self, row, **kwargs):
        for name in ("code", "voornaam", "achternaam", "andere behoefte"):
            row[name] = _text(row, name)
        row["code"] = row["code"].upper()
        if row["code"] and row["code"] not in self._pupils:
            raise ValidationError(
                _(
                    "Leerling %(code)s is onbekend in %(region)s. Laat de code leeg voor een "
                    "nieuwe leerling; de code wordt dan gemaakt."
                )
                % {"code": row["code"], "region": self.region}
            )
        row["_geboortedatum"] = _date(row, "geboortedatum", _("Geboortedatum"), required=True)
        if not row["code"] and row["voornaam"] and row["achternaam"] and row["_geboortedatum"]:
            # The same person imported again updates their record instead of doubling it.
            identity = (row["voornaam"].lower(), row["achternaam"].lower(), row["_geboortedatum"])
            row["code"] = self._identities.get(identity, "")
        self._refuse_duplicate(row, kwargs.get("row_number"))
        row["_doelgroep"] = _choice(row, "doelgroep", _("Doelgroep"), TargetGroup.choices)
        row["_ngt"] = _bool(row, "ngt", _("NGT of tolk"))
        row["_hoortechnologie"] = _bool(row, "hoortechnologie", _("Hoortechnologie"))
        row["_logopedie"] = _bool(row, "logopedie", _("Logopedie"))
        row["_school"] = _region_school(row, self.region, known=self._schools)
        row["_locatie"] = _region_location(row, self.region, known=self._locations)
        if not row["_school"] and not row["_locatie"]:
            raise ValidationError(
                _("Vul de school (BRIN en vestiging) of de (v)so-locatie van de leerling in.")
            )
        level = _text(row, "niveau").lower()
        row["_niveau"] = None
        if level:
            row["_niveau"] = self._levels.get(level)
            if not row["_niveau"]:
                raise ValidationError(_("Niveau '%(v)s' is onbekend.") % {"v": level})
        year = _text(row, "leerjaar")
        row["_leerjaar"] = plain_int(year) if year else None
        if year and row["_leerjaar"] is None:
            raise ValidationError(_("Leerjaar '%(v)s' is geen getal.") % {"v": year})
        gemeente = _text(row, "woongemeente")
        row["_gemeente"] = None
        if gemeente:
            row["_gemeente"] = self._gemeenten.get(gemeente.zfill(4))
            if not row["_gemeente"]:
                raise ValidationError(_("Gemeentecode '%(v)s' is onbekend.") % {"v": gemeente})

    def _refuse_duplicate(self, row, row_number):
        """The same pupil twice in one file (same code, or same name and date of birth)
        is a row error: two rows would otherwise silently merge into one pupil."""
        keys = []
        if row["code"]:
            keys.append(("code", row["code"]))
        if row["voornaam"] and row["achternaam"] and row["_geboortedatum"]:
            keys.append(
                ("naam", row["voornaam"].lower(), row["achternaam"].lower(), row["_geboortedatum"])
            )
        seen = self.__dict__.setdefault("_seen_rows", {})
        for key in keys:
            if key in seen:
                raise ValidationError(
                    _("Deze leerling staat al op regel %(line)s van dit bestand.")
                    % {"line": seen[key] + 1}
                )
        for key in keys:
            seen[key] = row_number or len(seen) + 1

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Values were parsed above; set them as they are.
        if field.attribute == "code" and not row["code"]:
            return
        setattr(instance, field.attribute, row[field.column_name])

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.region = self.region  # before validate_instance: the rules need it

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if kwargs.get("dry_run") and result.is_new():
            # The code a preview drew is not the one the import will draw: it says so,
            # rather than show a code that will never exist.
            result.object_repr = _("nieuwe leerling (de code volgt bij het importeren)")
        return result

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            # Pupil.save would make the code; a bulk insert does not call it.
            code = new_pupil_code()
            while code in self._codes or code in self._pupils:
                code = new_pupil_code()  # pragma: no cover - 32**5 codes
            instance.code = code
            self._codes.add(code)
        else:
            instance.version += 1  # a form loaded before the import is refused

    def get_bulk_update_fields(self):
        return [name for name in super().get_bulk_update_fields() if name != "code"] + ["version"]

    def _written(self):
        return [*PUPIL_COLUMNS, "region", "version"]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        created = list(self.create_instances)
        self.create_instances.clear()
        if dry_run or not created:  # the preview writes nothing: lookups came from the dicts
            return
        self._unique_codes(created)
        # An error here fails the task; the import's transaction then leaves nothing behind.
        Pupil.objects.bulk_create(created, batch_size=batch_size)
        bulk_audit([(None, p) for p in created], actor=self._actor, fields=self._written())

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        updated = list(self.update_instances)
        self.update_instances.clear()
        if dry_run or not updated:
            return
        now = timezone.now()
        for pupil in updated:
            pupil.updated_at = now  # auto_now: what save() would have set
        names = [*self.get_bulk_update_fields(), "updated_at"]
        update_rows(Pupil, updated, names)
        bulk_audit([(self._old.get(p.code), p) for p in updated], actor=self._actor, fields=names)

    def _unique_codes(self, pupils):
        """Codes are unique nationally: one query per batch for codes taken elsewhere."""
        taken = set(
            Pupil.objects.with_scopes_disabled()
            .filter(code__in=[pupil.code for pupil in pupils])
            .values_list("code", flat=True)
        )
        for pupil in pupils:
            while pupil.code in taken:  # pragma: no cover - 32**5 codes
                pupil.code = new_pupil_code()


class NewRecordResource(RegionResource):
    """Every row is a new record; before_import_row puts its values in self._values."""

    class Meta:
        fields = ()
        use_bulk = False
        skip_diff = True

    def get_import_id_fields(self):
        return []

    def get_or_init_instance(self, instance_loader, row):
        return self._meta.model(), True

    def import_instance(self, instance, row, **kwargs):
        for name, value in self._values.items():
            setattr(instance, name, value)


class CvoBesluitResource(NewRecordResource):
    class Meta:
        model = CvoBesluit

    def before_import_row(self, row, **kwargs):
        self._values = {
            "pupil": _region_pupil(row, self.region),
            "institution": self.region.institution,
            "kind": _choice(row, "soort", _("Soort besluit"), CvoBesluit.Kind.choices),
            "start": _date(row, "ingangsdatum", _("Ingangsdatum"), required=True),
            "end": _date(row, "einddatum", _("Einddatum"), required=True),
            "evaluation_date": _date(row, "evaluatiedatum", _("Evaluatiedatum")),
            "replacement_advice": _choice(
                row, "advies", _("Advies"), CvoBesluit.Advice.choices, required=False
            ),
            "return_decision_on": _date(
                row, "besluit terugplaatsing", _("Datum besluit terugplaatsing")
            ),
            "formerly_onderwijsarrangement": _bool(
                row, "vroeger onderwijsarrangement", _("Vroeger onderwijsarrangement")
            ),
            "notes": _text(row, "notities"),
        }


class ArrangementResource(NewRecordResource):
    class Meta:
        model = Arrangement

    def before_import_row(self, row, **kwargs):
        scope = _choice(row, "niveau", _("Niveau"), Arrangement.Scope.choices)
        pupil = _region_pupil(row, self.region) if _text(row, "leerlingcode") else None
        hours = _text(row, "uren per week").replace(",", ".") or "0"
        share = _text(row, "individueel %") or "100"
        try:
            hours_value = float(hours)
            share_value = int(share)
        except ValueError:
            raise ValidationError(
                _("Uren per week en individueel % moeten getallen zijn.")
            ) from None
        usernames = [u.strip() for u in _text(row, "begeleiders").split(",") if u.strip()]
        users = list(get_user_model().objects.filter(username__in=usernames))
        allowed = set(
            RoleAssignment.objects.in_force()
            .filter(role=Role.BEGELEIDER, region=self.region, user__in=users)
            .values_list("user__username", flat=True)
        )
        unknown = [u for u in usernames if u not in allowed]
        if unknown:
            raise ValidationError(
                _("Geen ambulant begeleider in deze regio: %(names)s.")
                % {"names": get_text_list(unknown, _("en"))}
            )
        self._values = {
            "region": self.region,
            "scope": scope,
            "setting": _choice(row, "soort", _("Soort arrangement"), Arrangement.Setting.choices),
            "pupil": pupil,
            "school": _region_school(row, self.region),
            "hours_per_week": hours_value,
            "individual_share": share_value,
            "start": _date(row, "van", _("Begindatum"), required=True),
            "end": _date(row, "tot", _("Einddatum")),
        }
        self._users = users

    def save_m2m(self, instance, row, **kwargs):
        instance.begeleiders.set(self._users)


# The columns with a fixed list of values, per kind, as the rows above read them with
# _choice (the value or the label after it): the import page lists them.
CHOICE_COLUMNS = {
    "leerlingen": [("doelgroep", TargetGroup.choices)],
    "besluiten": [("soort", CvoBesluit.Kind.choices), ("advies", CvoBesluit.Advice.choices)],
    "arrangementen": [
        ("niveau", Arrangement.Scope.choices),
        ("soort", Arrangement.Setting.choices),
    ],
}

# The columns each import reads, in the order the example files use.
IMPORT_COLUMNS = {
    "leerlingen": [
        "code",
        "voornaam",
        "achternaam",
        "geboortedatum",
        "doelgroep",
        "ngt",
        "hoortechnologie",
        "logopedie",
        "andere behoefte",
        "school",
        "locatie",
        "niveau",
        "leerjaar",
        "woongemeente",
    ],
    "besluiten": [
        "leerlingcode",
        "soort",
        "ingangsdatum",
        "einddatum",
        "evaluatiedatum",
        "advies",
        "besluit terugplaatsing",
        "vroeger onderwijsarrangement",
        "notities",
    ],
    "arrangementen": [
        "leerlingcode",
        "niveau",
        "soort",
        "school",
        "uren per week",
        "individueel %",
        "begeleiders",
        "van",
        "tot",
    ],
}
# Columns every row needs (a row without them is an error anyway): a file without one of
# them is refused at once with their names instead of an error on every row.
REQUIRED_COLUMNS = {
    "leerlingen": ["geboortedatum"],
    "besluiten": ["leerlingcode", "ingangsdatum", "einddatum"],
    "arrangementen": ["leerlingcode", "van"],
}

IMPORT_HINTS = {
    "leerlingen": gettext_lazy(
        "geboortedatum en school of locatie verplicht; niveau verplicht bij een vo-school"
    ),
}


class PupilImport(ImportPipeline):
    """Pupils, CvO decisions and arrangements of one region, from CSV or XLSX."""

    path = "learners.resources.PUPIL_IMPORT"
    page = "learners:pupil_import"

    kinds = {
        "leerlingen": gettext_lazy("Leerlingen"),
        "besluiten": gettext_lazy("CvO-besluiten"),
        "arrangementen": gettext_lazy("Arrangementen"),
    }
    resources = {
        "leerlingen": PupilResource,
        "besluiten": CvoBesluitResource,
        "arrangementen": ArrangementResource,
    }

    def table(self, kind, raw, filename):
        dataset = read_table(raw, filename)
        missing = [name for name in REQUIRED_COLUMNS[kind] if name not in dataset.headers]
        if missing:
            raise ImportFileError(
                _("Deze kolommen ontbreken: %(cols)s.")
                % {"cols": get_text_list([f"'{name}'" for name in missing], _("en"))}
            )
        if kind == "leerlingen" and "code" not in dataset.headers:
            # No code column: every row is a new pupil (or one found by name and birth date).
            dataset.append_col([""] * dataset.height, header="code")
        return only_columns(dataset, IMPORT_COLUMNS[kind])

    def resource(self, kind, region):
        return self.resources[kind](region=region)


PUPIL_IMPORT = PupilImport()


# --- export -----------------------------------------------------------------------

EXPORT_COLUMNS = [
    ("code", gettext_lazy("leerlingcode"), lambda p: p.code),
    ("doelgroep", gettext_lazy("doelgroep"), lambda p: p.get_target_group_display()),
    ("ngt", gettext_lazy("NGT of tolk"), lambda p: _("ja") if p.need_ngt else _("nee")),
    (
        "hoortechnologie",
        gettext_lazy("hoortechnologie"),
        lambda p: _("ja") if p.need_hearing_technology else _("nee"),
    ),
    (
        "logopedie",
        gettext_lazy("logopedie"),
        lambda p: _("ja") if p.need_speech_therapy else _("nee"),
    ),
    ("school", gettext_lazy("school"), lambda p: p.current_school.code if p.current_school else ""),
    (
        "locatie",
        gettext_lazy("(v)so-locatie"),
        lambda p: p.current_location.name if p.current_location else "",
    ),
    ("niveau", gettext_lazy("niveau"), lambda p: p.level.code if p.level else ""),
    ("leerjaar", gettext_lazy("leerjaar"), lambda p: p.year_group or ""),
    (
        "woongemeente",
        gettext_lazy("woongemeente"),
        lambda p: p.home_gemeente.code if p.home_gemeente else "",
    ),
]
NAME_COLUMNS = [
    ("voornaam", gettext_lazy("voornaam"), lambda p: p.first_name),
    ("achternaam", gettext_lazy("achternaam"), lambda p: p.last_name),
    (
        "geboortedatum",
        gettext_lazy("geboortedatum"),
        lambda p: p.date_of_birth.isoformat() if p.date_of_birth else "",
    ),
]


def xlsx_bytes(headers, rows) -> bytes:
    """An XLSX workbook whose text cells are text, never formulas."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for values in [headers, *rows]:
        sheet.append(values)
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # openpyxl turns any text starting with "=" into one
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_pupils(pupils, *, with_names: bool, fmt: str):
    """The pupil list as CSV or XLSX bytes; names only when asked for explicitly."""
    columns = EXPORT_COLUMNS[:1] + (NAME_COLUMNS if with_names else []) + EXPORT_COLUMNS[1:]
    headers = [str(label) for _key, label, _get in columns]
    rows = [
        [getter(pupil) for _key, _label, getter in columns] for pupil in pupils.order_by("code")
    ]
    if fmt == "xlsx":
        return xlsx_bytes(headers, rows), len(rows)
    dataset = tablib.Dataset(*[[csv_safe(v) for v in row] for row in rows], headers=headers)
    return dataset.export("csv", delimiter=";").encode("utf-8-sig"), len(rows)
