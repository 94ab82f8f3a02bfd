"""DUO open data imports for schools and samenwerkingsverbanden (django-import-export).

DUO publishes its address files as CSV, semicolon separated (older files and
hand-made copies are sometimes comma separated, quoted or not), in windows-1252 or
UTF-8 with or without BOM. Header names differ between the PO, VO and SWV files and
between years (current files: INSTELLINGSCODE and VESTIGINGSCODE; older ones: BRIN
NUMMER and VESTIGINGSNUMMER), so we map the known variants onto one set of names
before handing the rows to the resource; columns we do not know are ignored.
"""

import tablib
from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from .imports import (
    ColumnResource,
    ImportFileError,
    ImportPipeline,
    bulk_audit,
    bulk_audit_m2m,
    decode_csv,
    only_columns,
)
from .models import (
    Gemeente,
    Level,
    Region,
    Samenwerkingsverband,
    School,
    Schoolbestuur,
    normalise_postcode,
    normalise_swv_code,
)

SCHOOL_HEADERS = {
    "brin": ["INSTELLINGSCODE", "BRIN NUMMER", "BRINNUMMER", "BRIN"],
    "vestiging": ["VESTIGINGSCODE", "VESTIGINGSNUMMER", "VESTIGING"],
    "name": ["VESTIGINGSNAAM", "INSTELLINGSNAAM", "NAAM"],
    "street": ["STRAATNAAM"],
    "number": ["HUISNUMMER-TOEVOEGING", "HUISNUMMER"],
    "postcode": ["POSTCODE"],
    "place": ["PLAATSNAAM", "PLAATS"],
    "gemeente_code": ["GEMEENTENUMMER", "GEMEENTECODE"],
    "gemeente_name": ["GEMEENTENAAM"],
    "bestuur_number": ["BEVOEGD GEZAG NUMMER", "BEVOEGDGEZAGNUMMER"],
    "bestuur_name": ["BEVOEGD GEZAG NAAM", "NAAM BEVOEGD GEZAG"],
    "website": ["INTERNETADRES", "WEBSITE"],
    "structure": ["ONDERWIJSSTRUCTUUR"],
    "swv_code": ["SAMENWERKINGSVERBAND", "SWV", "CODE SAMENWERKINGSVERBAND"],
    "sector": ["SOORT PO", "ONDERWIJSSOORT", "SECTOR"],
}
SWV_HEADERS = {
    "code": ["SAMENWERKINGSVERBAND", "ADMINISTRATIENUMMER", "CODE SAMENWERKINGSVERBAND", "CODE"],
    "name": ["NAAM SAMENWERKINGSVERBAND", "NAAM SWV", "NAAM"],
    "street": ["STRAATNAAM"],
    "number": ["HUISNUMMER-TOEVOEGING", "HUISNUMMER"],
    "postcode": ["POSTCODE"],
    "place": ["PLAATSNAAM", "PLAATS"],
    "website": ["INTERNETADRES", "WEBSITE"],
}

# ONDERWIJSSTRUCTUUR as DUO writes it ("VMBO-B/VMBO-K/HAVO/VWO") to our level codes.
STRUCTURE_LEVELS = {
    "PRO": "pro",
    "VMBO-B": "vmbo-b",
    "VMBO-K": "vmbo-k",
    "VMBO-G": "vmbo-gt",
    "VMBO-T": "vmbo-gt",
    "VMBO-G/T": "vmbo-gt",
    "VMBO-GT": "vmbo-gt",
    "VMBO-(G)T": "vmbo-gt",
    "HAVO": "havo",
    "VWO": "vwo",
    "MBO": "mbo",
}


def read_table(raw: bytes, header_map: dict) -> tablib.Dataset:
    """Decode a DUO CSV and map its headers onto our names.

    Each of our names takes the first of its variants the file has (VESTIGINGSNAAM
    before INSTELLINGSNAAM); every other column keeps its own name and is ignored.
    """
    rows = decode_csv(raw)
    headers = [cell.strip().strip('"').strip().upper() for cell in rows[0]]
    mapped = list(headers)
    for name, variants in header_map.items():
        found = next((v for v in variants if v in headers), None)
        if found:
            mapped[headers.index(found)] = name
    required = {"school": ("brin", "name"), "swv": ("code", "name")}
    kind = "school" if "brin" in header_map else "swv"
    missing = [name for name in required[kind] if name not in mapped]
    if missing:
        raise ImportFileError(
            _("Deze kolommen ontbreken: %(cols)s. Gebruik het adressenbestand van DUO.")
            % {"cols": get_text_list([" / ".join(header_map[n][:2]) for n in missing], _("en"))}
        )
    data = tablib.Dataset(headers=mapped)
    for row in rows[1:]:
        row = [cell.strip() for cell in row] + [""] * (len(mapped) - len(row))
        data.append(row[: len(mapped)])
    return data


def _address(row):
    return " ".join(part for part in (row.get("street", ""), row.get("number", "")) if part)


class KnownForeignKey(widgets.ForeignKeyWidget):
    """A foreign key looked up in `known` (key -> object, filled once per file by the
    resource); a key not there is looked up in the database as import-export does."""

    known: dict | None = None

    def clean(self, value, row=None, **kwargs):
        if value and self.known is not None and value in self.known:
            return self.known[value]
        return super().clean(value, row, **kwargs)


class KnownManyToMany(widgets.ManyToManyWidget):
    known: dict | None = None

    def clean(self, value, row=None, **kwargs):
        if self.known is None:
            return super().clean(value, row, **kwargs)
        codes = [code.strip() for code in str(value or "").split(self.separator) if code.strip()]
        return [self.known[code] for code in codes if code in self.known]


def _related(attribute, column, model, key):
    """A column that names a related object by its DUO key (a code or number)."""
    return fields.Field(attribute=attribute, column_name=column, widget=KnownForeignKey(model, key))


class SchoolResource(ColumnResource):
    """One row is one school location (BRIN + vestigingsnummer)."""

    columns = {"vestigingsnummer": "vestiging", "street": "address", "sector": "sector_code"}
    gemeente = _related("gemeente", "gemeente_code", Gemeente, "code")
    bestuur = _related("bestuur", "bestuur_number", Schoolbestuur, "number")
    swv = _related("swv", "swv_code", Samenwerkingsverband, "code")
    levels = fields.Field(
        attribute="levels",
        column_name="level_codes",
        widget=KnownManyToMany(Level, field="code", separator=","),
    )

    class Meta:
        model = School
        import_id_fields = ("brin", "vestigingsnummer")
        fields = (
            "brin",
            "vestigingsnummer",
            "name",
            "street",
            "postcode",
            "place",
            "website",
            "sector",
            "gemeente",
            "bestuur",
            "swv",
            "levels",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = True  # see save_instance: new schools in bulk, changed ones one by one

    def __init__(self, *, default_sector="vo", region=None):
        super().__init__()
        self.default_sector = default_sector
        # A coordinator imports for one region: rows may touch only that region's schools.
        self.region = region
        if region:
            from .selectors import schools_in_region

            self.region_schools = set(
                schools_in_region(region).values_list("brin", "vestigingsnummer")
            )
            self.region_swvs = set(region.swvs.values_list("code", flat=True))
            self.region_gemeenten = set(region.gemeenten.values_list("code", flat=True))

    def before_import(self, dataset, **kwargs):
        """Every lookup once per file, one query per table; what the rows create on first
        sight (municipalities, boards) joins these dicts."""
        self._new = []  # (new school, its levels)
        self._gemeenten = {g.code: g for g in Gemeente.objects.all()}
        self._besturen = {b.number: b for b in Schoolbestuur.objects.all()}
        self._swvs = {swv.code: swv for swv in Samenwerkingsverband.objects.all()}
        keys = set(zip(dataset["brin"], dataset["vestiging"], strict=True))
        brins = {brin for brin, _vestiging in keys}
        self._schools = {
            (school.brin, school.vestigingsnummer): school
            for school in School.objects.filter(brin__in=brins)
            .select_related("swv", "gemeente")
            .prefetch_related("levels")
        }
        self._create_named(dataset, dry_run=kwargs.get("dry_run"))
        self.fields["gemeente"].widget.known = self._gemeenten
        self.fields["bestuur"].widget.known = self._besturen
        self.fields["swv"].widget.known = self._swvs
        self.fields["levels"].widget.known = {level.code: level for level in Level.objects.all()}
        if self.region:
            self._linked = {
                "swv": set(
                    Region.swvs.through.objects.values_list("samenwerkingsverband__code", flat=True)
                ),
                "gemeente": set(
                    Region.gemeenten.through.objects.values_list("gemeente__code", flat=True)
                ),
            }

    def _create_named(self, dataset, *, dry_run):
        """DUO files name municipality and board inline: the ones not known yet are made
        from their first row (in the import's transaction, so a failed file leaves none
        behind; the preview makes them in memory only)."""
        gemeenten, besturen = {}, {}
        for row in dataset.dict:
            code, number = row.get("gemeente_code"), row.get("bestuur_number")
            if code and code not in self._gemeenten and code not in gemeenten:
                gemeenten[code] = Gemeente(
                    code=code, name=(row.get("gemeente_name") or code).title()
                )
            if number and number not in self._besturen and number not in besturen:
                besturen[number] = Schoolbestuur(
                    number=number, name=row.get("bestuur_name") or number
                )
        for model, new, known in (
            (Gemeente, gemeenten, self._gemeenten),
            (Schoolbestuur, besturen, self._besturen),
        ):
            if new and not dry_run:
                model.objects.bulk_create(new.values(), batch_size=500)
                bulk_audit([(None, obj) for obj in new.values()])
            known.update(new)

    def get_instance(self, instance_loader, row):
        return self._schools.get((row["brin"], row["vestiging"]))

    # New schools are inserted in bulk once every row is checked (a first import of all
    # of DUO's schools is thousands of them); a changed school is saved as before, so the
    # signals that follow a school to another region still run.

    def save_instance(self, instance, is_create, row, **kwargs):
        # use_bulk (no savepoint per row) but a changed school is saved here, one by one.
        self.before_save_instance(instance, row, **kwargs)
        if is_create:
            self._new.append((instance, self.fields["levels"].clean(row)))
            return
        self.do_instance_save(instance, is_create)
        self.fields["levels"].save(instance, row, is_m2m=True)

    def after_import(self, dataset, result, **kwargs):
        new, self._new = self._new, []
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        schools = School.objects.bulk_create([school for school, _ in new], batch_size=500)
        through = School.levels.through
        through.objects.bulk_create(
            [
                through(school_id=school.pk, level_id=level.pk)
                for school, levels in new
                for level in levels
            ],
            batch_size=1000,
        )
        written = [f.name for f in School._meta.concrete_fields]
        bulk_audit([(None, school) for school in schools], fields=written)
        order = Level._meta.ordering or ["pk"]
        related = {
            school: sorted(levels, key=lambda lv: [getattr(lv, f.lstrip("-")) for f in order])
            for school, levels in new
        }
        bulk_audit_m2m(schools, "levels", related)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The relations came from the dicts above and (brin, vestiging) is the import's own
        # key, refused twice in one file: full_clean need not query either for every row.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, "gemeente", "bestuur", "swv"],
                validate_unique=False,
                validate_constraints=False,  # only the unique (brin, vestiging): the key
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def normalise(self, row: dict) -> dict:
        """Derive our columns from DUO's; runs on every row before the import."""
        brin = (row.get("brin") or "").strip().upper()
        vestiging = (row.get("vestiging") or "").strip().upper()
        # Vestigingen files write the full six-character code ("12AB00").
        if len(vestiging) == 6 and vestiging[:4] == brin:
            vestiging = vestiging[4:]
        levels = set()
        for part in (row.get("structure") or "").upper().replace(",", "/").split("/"):
            code = STRUCTURE_LEVELS.get(part.strip())
            if code:
                levels.add(code)
        sector = _sector(row.get("sector", ""), self.default_sector)
        if sector == "po":
            levels.add("po")
        swv_code = row.get("swv_code") or ""
        return {
            **row,
            "brin": brin,
            "vestiging": vestiging or "00",
            "address": _address(row),
            "postcode": normalise_postcode(row.get("postcode") or ""),
            "website": _website(row.get("website", "")),
            "sector_code": sector,
            "swv_code": normalise_swv_code(swv_code) if swv_code else "",
            "level_codes": ",".join(sorted(levels)),
            "gemeente_code": (row.get("gemeente_code") or "").zfill(4)
            if row.get("gemeente_code")
            else "",
            "bestuur_number": (row.get("bestuur_number") or "").zfill(5)
            if row.get("bestuur_number")
            else "",
        }

    def before_import_row(self, row, **kwargs):
        _refuse_duplicate(
            self,
            (row["brin"], row["vestiging"]),
            kwargs.get("row_number"),
            _("School %(code)s staat al op regel %(line)s van dit bestand."),
        )
        if row["swv_code"] and row["swv_code"] not in self._swvs:
            raise ValidationError(
                _(
                    "Samenwerkingsverband %(code)s is onbekend: importeer eerst het bestand met "
                    "samenwerkingsverbanden."
                )
                % {"code": row["swv_code"]}
            )
        if self.region:
            self._check_region(row)

    def _check_region(self, row):
        key = (row["brin"], row["vestiging"])
        school = self._schools.get(key)
        if school and key not in self.region_schools:
            raise ValidationError(
                _(
                    "School %(code)s hoort niet bij %(region)s; alleen de functioneel beheerder "
                    "kan haar wijzigen."
                )
                % {"code": "".join(key), "region": self.region}
            )
        if not (
            row["swv_code"] in self.region_swvs or row["gemeente_code"] in self.region_gemeenten
        ):
            raise ValidationError(
                _(
                    "School %(code)s valt buiten %(region)s: haar samenwerkingsverband en gemeente "
                    "horen niet bij de regio. Koppel die eerst aan de regio."
                )
                % {"code": "".join(key), "region": self.region}
            )
        # A new SWV or municipality that belongs to another region would hand the school
        # (and the pupils placed there) to that region's coordinator: not by import.
        links = (
            (row["swv_code"], school.swv.code if school and school.swv else None, "swv"),
            (
                row["gemeente_code"],
                school.gemeente.code if school and school.gemeente else None,
                "gemeente",
            ),
        )
        for code, current, kind in links:
            own = self.region_swvs if kind == "swv" else self.region_gemeenten
            if not code or code == current or code in own:
                continue
            if code in self._linked[kind]:
                raise ValidationError(
                    _(
                        "School %(code)s zou met %(link)s %(value)s (ook) in een andere regio "
                        "komen dan %(region)s; alleen de functioneel beheerder kan een school "
                        "naar een andere regio verplaatsen."
                    )
                    % {
                        "code": "".join(key),
                        "link": _("samenwerkingsverband") if kind == "swv" else _("gemeente"),
                        "value": code,
                        "region": self.region,
                    }
                )


def _refuse_duplicate(resource, key, row_number, message):
    """The same school or SWV twice in one file is a row error, not a silent merge."""
    seen = resource.__dict__.setdefault("_seen_rows", {})
    if key in seen:
        raise ValidationError(message % {"code": "".join(key), "line": seen[key] + 1})
    seen[key] = row_number or len(seen) + 1


class SwvResource(ColumnResource):
    columns = {"street": "address"}

    class Meta:
        model = Samenwerkingsverband
        import_id_fields = ("code",)
        fields = ("code", "name", "sector", "street", "postcode", "place", "website")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = False

    def __init__(self, *, region=None):
        super().__init__()
        self.region = region
        if region:
            self.region_swvs = set(region.swvs.values_list("code", flat=True))

    def before_import_row(self, row, **kwargs):
        code = row["code"]
        _refuse_duplicate(
            self,
            (code,),
            kwargs.get("row_number"),
            _("Samenwerkingsverband %(code)s staat al op regel %(line)s van dit bestand."),
        )
        if (
            self.region
            and code not in self.region_swvs
            and Samenwerkingsverband.objects.filter(code=code).exists()
        ):
            raise ValidationError(
                _(
                    "Samenwerkingsverband %(code)s hoort niet bij %(region)s; alleen de "
                    "functioneel beheerder kan het wijzigen."
                )
                % {"code": code, "region": self.region}
            )

    def after_import(self, dataset, result, **kwargs):
        # What a coordinator imports becomes part of their region, so they can see it.
        if self.region and not result.has_errors() and not result.has_validation_errors():
            self.region.swvs.add(*Samenwerkingsverband.objects.filter(code__in=dataset["code"]))

    def normalise(self, row: dict) -> dict:
        code = normalise_swv_code(row.get("code", ""))
        return {
            **row,
            "code": code,
            "sector": code[:2].lower() if code[:2] in ("PO", "VO") else "",
            "address": _address(row),
            "postcode": normalise_postcode(row.get("postcode") or ""),
            "website": _website(row.get("website", "")),
        }


def _website(value: str) -> str:
    value = (value or "").strip()
    if value and not value.lower().startswith(("http://", "https://")):
        value = "https://" + value
    return value


def _sector(value: str, default: str) -> str:
    value = (value or "").strip().lower()
    for code in ("vso", "so", "vo", "po", "mbo"):
        if value == code or value.startswith(code + " "):
            return code
    if "speciaal" in value:
        return "so"
    return default


class DuoImport(ImportPipeline):
    """DUO's address files: schools (po, vo) and samenwerkingsverbanden."""

    path = "regions.resources.DUO_IMPORT"
    page = "regions:duo_import"
    shared_data = True  # schools, SWVs, municipalities and boards show in every region

    kinds = {
        "scholen-vo": gettext_lazy("Scholen voortgezet onderwijs (DUO, alle vestigingen vo)"),
        "scholen-po": gettext_lazy("Scholen primair onderwijs (DUO, alle vestigingen bo)"),
        "swv": gettext_lazy("Samenwerkingsverbanden passend onderwijs (DUO)"),
    }

    def _headers(self, kind):
        return SWV_HEADERS if kind == "swv" else SCHOOL_HEADERS

    def table(self, kind, raw, filename=""):
        return only_columns(read_table(raw, self._headers(kind)), list(self._headers(kind)))

    def resource(self, kind, region):
        if kind == "swv":
            return SwvResource(region=region)
        return SchoolResource(default_sector=kind.removeprefix("scholen-"), region=region)

    def prepare(self, kind, dataset, resource):
        rows = [resource.normalise(row) for row in dataset.dict]
        out = tablib.Dataset(headers=list(rows[0]))
        for row in rows:
            out.append([row[key] for key in out.headers])
        return out

    def done_message(self, totals):
        return _("Import klaar: %(new)s nieuw, %(update)s bijgewerkt, %(skip)s ongewijzigd.") % {
            "new": totals.get("new", 0),
            "update": totals.get("update", 0),
            "skip": totals.get("skip", 0),
        }


DUO_IMPORT = DuoImport()
