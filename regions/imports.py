"""One import pipeline for every import of the app: upload, preview, confirm, cancel.

An import is an `ImportPipeline` (the DUO files in regions.resources, the pupil data in
learners.resources; initiatives and checklists add theirs): it reads the upload (size,
encoding, cell length), keeps only the columns it reads, shows a dry run with per-row
errors, and on confirm runs the rows for real inside one transaction: any row error
leaves nothing changed. Each upload is an ImportJob (regions.models): the file waits in
the database, never on a local disk, and the preview and the import run in the task
worker (regions.tasks). `import_page` is the view of those steps that every import page
uses; `job_status` the part the page polls.
"""

import codecs
import csv
import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree import ElementTree

import openpyxl
import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources
from openpyxl.utils.exceptions import InvalidFileException

from .audit_index import index_entries
from .versioning import bump_version

# One size limit for every upload: a DUO address file of all schools is about 5 MB.
MAX_IMPORT_MB = 20
MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024
# csv's own field limit; a longer cell is refused with a message instead of a 500.
MAX_CELL_CHARS = 128 * 1024
# Rows per file: a region's pupils (20,000 at national scale) or DUO's file of all school
# locations (under 10,000) fit; a file of more rows is refused before it is read further.
MAX_IMPORT_ROWS = 30_000
# An XLSX is a zip; a few hundred kB may unpack to gigabytes of XML (a zip bomb).
MAX_XLSX_UNPACKED_BYTES = 10 * MAX_IMPORT_BYTES


class ImportFileError(ValueError):
    """The file cannot be read at all; the message is shown to the user."""


def too_large_error() -> ImportFileError:
    return ImportFileError(
        _("Het bestand is groter dan %(mb)s MB.") % {"mb": MAX_IMPORT_MB},
    )


def too_long_cell_error() -> ImportFileError:
    return ImportFileError(
        _("Een cel in het bestand is langer dan 128 kB; dat is geen gewone waarde.")
    )


def too_many_rows_error() -> ImportFileError:
    return ImportFileError(
        _("Het bestand heeft meer dan %(rows)s regels; splits het in kleinere bestanden.")
        % {"rows": f"{MAX_IMPORT_ROWS:,}".replace(",", ".")}
    )


def not_a_table_error() -> ImportFileError:
    return ImportFileError(_("Het bestand is geen geldig CSV- of Excel-bestand."))


def clean_upload(upload, *, endings: tuple, wrong_type: str):
    """A form's clean_file: the right kind of file and not over the size limit."""
    if not upload.name.lower().endswith(endings):
        raise forms.ValidationError(wrong_type)
    if upload.size > MAX_IMPORT_BYTES:
        raise forms.ValidationError(str(too_large_error()))
    return upload


# --- reading ---------------------------------------------------------------------


# Excel's "Unicode-tekst" is UTF-16 with tabs; other tools write it without a BOM.
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _utf16_encoding(raw: bytes) -> str | None:
    """UTF-16 by its BOM, or by NULs in every other byte (mostly Latin text without BOM)."""
    if raw.startswith(UTF16_BOMS):
        return "utf-16"
    head = raw[:4096]
    pairs = len(head) // 2
    if pairs and head[1::2].count(0) * 2 > pairs:
        return "utf-16-le"
    if pairs and head[0::2].count(0) * 2 > pairs:
        return "utf-16-be"
    return None


def _nul_error() -> ImportFileError:
    return ImportFileError(
        _("Het bestand bevat een NUL-teken en is geen gewoon tekstbestand; sla het op als CSV.")
    )


def _decode(raw: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 or windows-1252."""
    utf16 = _utf16_encoding(raw)
    if utf16:
        try:
            text = raw.decode(utf16)
        except UnicodeDecodeError:
            raise not_a_table_error() from None
        if "\x00" in text:
            raise _nul_error()
        return text
    if b"\x00" in raw:  # a picture, a zip or other binary file renamed .csv
        raise _nul_error()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("Het bestand is geen tekstbestand in UTF-8 of windows-1252."))


def checked_rows(rows) -> list[list]:
    """The non-blank rows of a file, refused with a message when they cannot be an import:
    no data rows, more than MAX_IMPORT_ROWS, a header twice, a cell over MAX_CELL_CHARS.
    Reading stops at the row limit, so a file of a million rows is not held in memory."""
    kept = []
    for row in rows:
        if not any(str(cell or "").strip() for cell in row):
            continue
        if len(kept) > MAX_IMPORT_ROWS:  # the header row plus MAX_IMPORT_ROWS rows
            raise too_many_rows_error()
        kept.append(list(row))
    if len(kept) < 2:
        raise ImportFileError(_("Het bestand bevat geen regels met gegevens."))
    seen = set()
    for header in (str(cell or "").strip().strip('"').strip().lower() for cell in kept[0]):
        if header and header in seen:
            raise ImportFileError(
                _("De kolom '%(column)s' staat meer dan één keer in het bestand; laat er één over.")
                % {"column": header}
            )
        seen.add(header)
    if any(isinstance(cell, str) and len(cell) > MAX_CELL_CHARS for row in kept for cell in row):
        raise too_long_cell_error()
    return kept


def decode_csv(raw: bytes) -> list[list[str]]:
    """Rows of a CSV file (see _decode), separated by ';', ',' or tabs; blank rows dropped."""
    text = _decode(raw)
    first_line = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    # The most frequent of the three on the header line; on a tie ';' (Dutch Excel), then ','.
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        # newline="": a quoted cell may hold a line break, and a file of old Macs ends lines in \r.
        return checked_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise too_long_cell_error() from None
        raise ImportFileError(_("Het bestand kan niet als CSV worden gelezen.")) from None


# What openpyxl and zipfile raise for a file that is not a workbook (not a zip, a zip
# without a workbook, broken XML, a truncated file); anything else is a bug and stays one.
XLSX_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    KeyError,
    OSError,
    ValueError,
    ElementTree.ParseError,
    InvalidFileException,
)


# No import has more than a few dozen columns. openpyxl builds a whole row at once, so a
# small file with millions of cells in one row would take gigabytes in the worker.
MAX_XLSX_CELLS_PER_ROW = 200


def _widest_row(archive) -> int:
    """The most cells in one row of any worksheet, read as a stream (constant memory),
    stopping as soon as a row has more than MAX_XLSX_CELLS_PER_ROW."""
    widest = 0
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        with archive.open(name) as sheet:
            cells, root = 0, None
            # Expat (2.4+) refuses entity expansion bombs; ElementTree fetches no external
            # entities. Only tags are counted here; openpyxl reads the values after.
            events = ElementTree.iterparse(sheet, events=("start", "end"))  # noqa: S314
            for event, element in events:
                if root is None:
                    root = element
                tag = element.tag.rsplit("}", 1)[-1]
                if event == "start" and tag == "c":
                    cells += 1
                    if cells > MAX_XLSX_CELLS_PER_ROW:
                        return cells
                elif event == "end" and tag == "row":
                    widest, cells = max(widest, cells), 0
                    root.clear()  # drop the rows read so far
    return widest


def _unreadable_xlsx() -> ImportFileError:
    return ImportFileError(_("Het Excel-bestand kan niet worden gelezen."))


def read_xlsx(raw: bytes) -> list[list]:
    """The rows of the first sheet of an XLSX file, values only: a formula is never run
    (openpyxl gives the value Excel stored, or nothing)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            widest = _widest_row(archive) if unpacked <= MAX_XLSX_UNPACKED_BYTES else 0
    except XLSX_ERRORS:
        raise _unreadable_xlsx() from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:  # a zip bomb: a small file, gigabytes of XML
        raise ImportFileError(
            _("Het Excel-bestand is uitgepakt groter dan %(mb)s MB; sla het op als CSV.")
            % {"mb": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )
    if widest > MAX_XLSX_CELLS_PER_ROW:
        raise ImportFileError(
            _(
                "Een regel van het Excel-bestand heeft meer dan %(cells)s cellen; sla alleen "
                "de kolommen van de import op, of sla het op als CSV."
            )
            % {"cells": MAX_XLSX_CELLS_PER_ROW}
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = workbook.active
        if sheet is None:  # a workbook without worksheets
            raise _unreadable_xlsx()
        rows = checked_rows(sheet.iter_rows(values_only=True))
    except ImportFileError:  # a message of checked_rows (a ValueError too): keep it
        raise
    except XLSX_ERRORS:
        raise _unreadable_xlsx() from None
    texts = (cell for row in rows for cell in row if isinstance(cell, str))
    if any("\x00" in cell for cell in texts):
        raise ImportFileError(_("Het Excel-bestand bevat een NUL-teken in een cel."))
    return rows


def _plain(value) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def only_columns(dataset: tablib.Dataset, keep: list[str]) -> tablib.Dataset:
    """Only the columns an import reads, as text: a column the coordinator left in the
    file (a diagnosis, a note) is neither imported nor kept while the preview waits."""
    keep = [name for name in keep if name in dataset.headers]
    out = tablib.Dataset(headers=keep)
    for row in dataset.dict:
        out.append([_plain(row.get(name)) for name in keep])
    return out


# --- the pipeline ----------------------------------------------------------------


PREVIEW_ROWS = 200


def _labelled(rows: list[dict]) -> list[dict]:
    """The action of each row in the reader's language (stored as import-export's word)."""
    labels = {
        "new": _("nieuw"),
        "update": _("bijwerken"),
        "skip": _("ongewijzigd"),
        "delete": _("verwijderen"),
    }
    return [{**row, "action": labels.get(row["action"], row["action"])} for row in rows]


@dataclass
class ImportPreview:
    kind: str
    result: object  # import_export Result
    token: str = ""

    @property
    def has_errors(self) -> bool:
        return self.result.has_errors() or self.result.has_validation_errors()

    @property
    def totals(self) -> dict:
        return dict(self.result.totals)

    @property
    def rows(self) -> list[dict]:
        """What each row will do (the first 200): its line in the file, the action, the
        object it makes or matches, and for an update the columns that change (names only,
        never the values: a pupil's name stays out of the page)."""
        return _labelled(self._row_actions())

    def _row_actions(self) -> list[dict]:
        headers = list(getattr(self.result, "diff_headers", []) or [])
        names = getattr(self.result, "column_labels", {})
        out = []
        for number, row in enumerate(self.result.rows[:PREVIEW_ROWS], start=2):
            changed = []
            if row.import_type == "update" and row.diff:
                changed = [
                    names.get(header, header)
                    for header, html in zip(headers, row.diff, strict=False)
                    if "<ins" in html or "<del" in html
                ]
            out.append(
                {
                    "line": number,
                    "action": row.import_type,
                    "object": row.object_repr,
                    "changed": changed,
                }
            )
        return out

    @property
    def row_errors(self):
        """[(line in the file, [messages])]: line 1 is the header row."""
        out = []
        for row in self.result.invalid_rows:
            messages_ = []
            for errors in row.field_specific_errors.values():
                messages_.extend(str(e) for e in errors)
            messages_.extend(str(e) for e in row.non_field_specific_errors)
            out.append((row.number + 1, messages_))
        for number, errors in self.result.row_errors():
            out.append((number + 1, [str(e.error) for e in errors]))
        return sorted(out, key=lambda item: item[0])

    def as_json(self) -> dict:
        """What the job keeps of a preview or an outcome: no row values, only totals,
        the messages per row and what each of the first rows does."""
        return {
            "totals": self.totals,
            "has_errors": self.has_errors,
            "row_errors": [[line, list(errors)] for line, errors in self.row_errors],
            "rows": self._row_actions(),
        }


def column_labels(resource) -> dict:
    """Column name -> the model field's Dutch name, for what the preview says changes."""
    model = resource._meta.model
    labels = {}
    for field in resource.get_import_fields():
        try:
            labels[field.column_name] = str(model._meta.get_field(field.attribute).verbose_name)
        except FieldDoesNotExist:  # a column that is no model field keeps its own name
            labels[field.column_name] = field.column_name
    return labels


class ColumnResource(resources.ModelResource):
    """A resource whose rows name some model fields otherwise: `columns` maps a field
    to its column in the rows (a field not named reads the column of its own name)."""

    columns: dict = {}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name, column in self.columns.items():
            self.fields[name] = fields.Field(attribute=name, column_name=column)

    def do_instance_save(self, instance, is_create):
        # A changed record gets a new version: a form loaded before the import is stale
        # and refused (regions/versioning.py), not saved over the imported values.
        if not is_create and hasattr(instance, "version"):
            bump_version(instance)
        super().do_instance_save(instance, is_create)


class StoredPreview:
    """A preview (or outcome) as the job keeps it, read the way the page reads a live one."""

    def __init__(self, data: dict, token: str = ""):
        self.data = data or {}
        self.token = token

    @property
    def has_errors(self) -> bool:
        return bool(self.data.get("has_errors"))

    @property
    def totals(self) -> dict:
        return dict(self.data.get("totals", {}))

    @property
    def rows(self) -> list[dict]:
        return _labelled(self.data.get("rows", []))

    @property
    def row_errors(self):
        return [(line, errors) for line, errors in self.data.get("row_errors", [])]


class ImportPipeline:
    """The steps every import shares. A subclass names its kinds and says how a file
    becomes rows (`table`) and which resource imports them (`resource`); `path` is where
    the task finds it again (a dotted path to the instance) and `page` its import page."""

    kinds: dict = {}  # kind -> label
    path: str = ""
    page: str = ""
    # Writes data every region shares (schools, SWVs, municipalities), also when run for
    # one region: its confirm marks the shared data changed (regions/data_version.py).
    shared_data: bool = False

    def table(self, kind: str, raw: bytes, filename: str) -> tablib.Dataset:
        """The rows of the file, only the columns this kind reads, as text."""
        raise NotImplementedError

    def resource(self, kind: str, region):
        raise NotImplementedError

    def prepare(self, kind: str, dataset: tablib.Dataset, resource) -> tablib.Dataset:
        """The rows as the resource takes them (both at preview and at confirm)."""
        return dataset

    def done_message(self, totals: dict) -> str:
        return _("Import klaar: %(new)s nieuw, %(update)s bijgewerkt.") % {
            "new": totals.get("new", 0),
            "update": totals.get("update", 0),
        }

    def _run(self, kind, dataset, *, region, user, dry_run):
        resource = self.resource(kind, region)
        result = resource.import_data(
            self.prepare(kind, dataset, resource),
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            user=user,
        )
        result.column_labels = column_labels(resource)
        return result

    def _check_kind(self, kind):
        if kind not in self.kinds:
            raise ImportFileError(_("Onbekend soort bestand."))

    def dry_run(self, *, kind, raw: bytes, filename="", region=None):
        """A dry run inside a rolled-back transaction: what would happen, nothing written.
        Returns the preview and the rows (only the columns read) that may be confirmed."""
        self._check_kind(kind)
        if len(raw) > MAX_IMPORT_BYTES:
            raise too_large_error()
        dataset = self.table(kind, raw, filename)
        result = self._run(kind, dataset, region=region, user=None, dry_run=True)
        return ImportPreview(kind, result), dataset

    def write(self, *, kind, dataset: tablib.Dataset, region=None, user=None) -> ImportPreview:
        """The rows for real, in one transaction: any row error leaves nothing changed."""
        self._check_kind(kind)
        with transaction.atomic():
            outcome = ImportPreview(
                kind, self._run(kind, dataset, region=region, user=user, dry_run=False)
            )
            if outcome.has_errors:
                transaction.set_rollback(True)
        return outcome

    # The steps without a worker (tests, the bench, the shell): a job, run here.

    def preview(self, *, kind: str, raw: bytes, filename: str = "", region=None, user=None):
        job = create_job(self, kind=kind, raw=raw, filename=filename, region=region, user=user)
        preview = run_preview(job)
        preview.token = str(job.pk) if job.status == job.Status.PREVIEW_READY else ""
        if preview.has_errors:
            preview.token = ""
        return preview

    def confirm(self, *, kind: str, token: str, user, region=None) -> ImportPreview:
        job = waiting_job(self, token, user=user, kind=kind)
        return run_confirm(job)


# --- jobs: the upload in the database, the work in the worker -----------------------


def _expired_error() -> ImportFileError:
    return ImportFileError(_("Het voorbeeld is verlopen; upload het bestand opnieuw."))


def _pipeline(job):
    from django.utils.module_loading import import_string

    return import_string(job.pipeline)


def create_job(pipeline, *, kind, raw: bytes, filename="", region=None, user=None):
    from django.utils import translation

    from .models import ImportJob

    return ImportJob.objects.create(
        user=user if user is not None and user.pk else None,
        region=region,
        pipeline=pipeline.path,
        kind=kind,
        filename=filename[:255],
        upload=raw,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def jobs_of(user):
    """The import jobs a user sees: only their own."""
    from .models import ImportJob

    return ImportJob.objects.filter(user=user) if user.pk else ImportJob.objects.none()


def waiting_job(pipeline, token, *, user, kind=None):
    """The job of `token` waiting for this user's confirmation, or the expired message."""
    from .models import ImportJob

    if not isinstance(token, (str, int)) or not str(token).isdigit():
        raise _expired_error()
    owner = user if user is not None and user.pk else None
    job = ImportJob.objects.filter(
        pk=int(token), user=owner, pipeline=pipeline.path, status=ImportJob.Status.PREVIEW_READY
    ).first()
    if job is None or (kind and job.kind != kind) or not job.upload:
        raise _expired_error()
    age = (timezone.now() - job.created_at).total_seconds()
    if age > settings.IMPORT_PREVIEW_MAX_AGE or job.preview.get("has_errors"):
        raise _expired_error()
    return job


def _scope(job):
    """Pupil models refuse queries outside a scope (django-scopes): the job's region."""
    from django_scopes import scope, scopes_disabled

    return scope(region=[job.region_id]) if job.region_id else scopes_disabled()


def _dataset(job) -> tablib.Dataset:
    kept = json.loads(bytes(job.upload))
    return tablib.Dataset(*[tuple(row) for row in kept["rows"]], headers=kept["headers"])


def _set(job, *, only_if=None, **values) -> bool:
    """Store `values` on the job; with `only_if` (statuses) only while the job still has
    one of them: a job cancelled while its task ran stays cancelled. Returns whether the
    job was updated."""
    if values.get("status") in (job.Status.DONE, job.Status.FAILED, job.Status.CANCELLED):
        values["finished_at"] = timezone.now()
    # update() skips auto_now: the time of the last step is what tells a stuck job.
    values["updated_at"] = timezone.now()
    rows = type(job).objects.filter(pk=job.pk)
    if only_if is not None:
        rows = rows.filter(status__in=only_if)
    if not rows.update(**values):
        return False
    for name, value in values.items():
        setattr(job, name, value)
    return True


def run_preview(job) -> ImportPreview:
    """The preview step of a job (what the task does): the upload's rows checked in a dry
    run; a clean file then waits as only the columns the import reads."""
    from django.utils import translation

    pipeline = _pipeline(job)
    waiting = (job.Status.QUEUED, job.Status.FAILED)
    if not _set(job, only_if=waiting, status=job.Status.PREVIEWING, error="", rows_done=0):
        return None  # cancelled before the worker came to it
    with translation.override(job.language), _scope(job):
        try:
            preview, dataset = pipeline.dry_run(
                kind=job.kind, raw=bytes(job.upload), filename=job.filename, region=job.region
            )
        except ImportFileError as exc:
            # A file that cannot be read will not read better later: nothing to keep.
            _set(
                job,
                only_if=(job.Status.PREVIEWING,),
                status=job.Status.FAILED,
                error=str(exc),
                upload=b"",
            )
            raise
        stored = preview.as_json()
        kept = b""
        if not preview.has_errors:
            kept = json.dumps(
                {"headers": dataset.headers, "rows": [list(row) for row in dataset]}
            ).encode()
        # Cancelled while this ran: the rows are not kept, the job stays cancelled.
        _set(
            job,
            only_if=(job.Status.PREVIEWING,),
            status=job.Status.PREVIEW_READY,
            preview=stored,
            upload=kept,
            rows_total=dataset.height,
            rows_done=dataset.height,
        )
    return preview


def run_confirm(job) -> ImportPreview:
    """The import step of a job (what the task does): all rows in one transaction, which
    first locks the job's row and checks it still waits to be imported. A second task for
    the same job (a retry while the first still ran, a double click) waits for that lock
    and then finds the job done: the rows are never written twice. None when the job was
    not this task's to run."""
    from django.utils import translation

    pipeline = _pipeline(job)
    # The audit trail names the uploader, as it did when the import ran in their request.
    from auditlog.context import set_actor

    with (
        transaction.atomic(),
        translation.override(job.language),
        _scope(job),
        set_actor(job.user),
    ):
        current = type(job).objects.select_for_update().filter(pk=job.pk).first()
        if (
            current is None
            or not current.upload
            or current.status
            not in (
                job.Status.IMPORTING,
                job.Status.PREVIEW_READY,
            )
        ):
            return None
        job.upload = current.upload
        dataset = _dataset(job)
        _set(job, status=job.Status.IMPORTING, error="", rows_done=0, rows_total=dataset.height)
        outcome = pipeline.write(kind=job.kind, dataset=dataset, region=job.region, user=job.user)
        stored = outcome.as_json()
        if outcome.has_errors:
            stored["message"] = _("Het importeren is afgebroken; er is niets gewijzigd.")
            _set(job, status=job.Status.FAILED, outcome=stored, error=stored["message"])
        else:
            stored["message"] = pipeline.done_message(outcome.totals)
            # The rows went in bulk, past the signals: cached figures and plans of the
            # region (and, for a national file or partner data, of every region) are out
            # of date now.
            from .data_version import bump

            bump(job.region_id, shared=job.region_id is None or pipeline.shared_data)
            _set(
                job,
                status=job.Status.DONE,
                outcome=stored,
                upload=b"",
                rows_done=dataset.height,
            )
    return outcome


def cancel_job(job) -> None:
    """Cancel: the rows waiting in the job are deleted at once."""
    if job.status in (job.Status.DONE, job.Status.IMPORTING, job.Status.CANCELLED):
        return
    _set(job, status=job.Status.CANCELLED, upload=b"")


def purge_jobs(*, now=None) -> tuple[int, int]:
    """Drop the rows of every job older than IMPORT_PREVIEW_MAX_AGE that is not running
    (a preview nobody confirmed expires), and delete jobs older than IMPORT_JOB_KEEP_DAYS.
    Returns (files dropped, jobs deleted)."""
    from datetime import timedelta

    from .models import ImportJob

    now = now or timezone.now()
    old = now - timedelta(seconds=settings.IMPORT_PREVIEW_MAX_AGE)
    dropped = (
        ImportJob.objects.filter(created_at__lt=old)
        .exclude(upload=b"")
        .exclude(status__in=[ImportJob.Status.IMPORTING])
        .update(upload=b"")
    )
    deleted, _by_model = ImportJob.objects.filter(
        created_at__lt=now - timedelta(days=settings.IMPORT_JOB_KEEP_DAYS)
    ).delete()
    return dropped, deleted


# --- the page ----------------------------------------------------------------------


def enqueue_preview(job):
    from .tasks import preview_import

    _enqueue(job, preview_import)


def enqueue_import(job):
    from .tasks import import_rows

    _set(job, status=job.Status.IMPORTING, error="", outcome={})
    _enqueue(job, import_rows)


def _enqueue(job, task):
    # Inside the caller's transaction: with the database backend the task row is
    # committed together with the job's new state (as plans.documents does).
    result = task.enqueue(job.pk)
    type(job).objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def retry_job(job) -> bool:
    """A failed job, or one whose worker died (is_stuck), starts again where it stopped,
    if its rows are still there (the import is one transaction: nothing half-written)."""
    if not job.upload:
        return False
    if job.is_stuck:
        # Only the request that still sees the job as it was when it got stuck takes it
        # over: a second click or request finds a newer step and does nothing.
        stuck = (
            type(job)
            .objects.filter(pk=job.pk, status=job.status, updated_at=job.updated_at)
            .update(status=job.Status.FAILED, updated_at=timezone.now())
        )
        if not stuck:
            return False
        job.status = job.Status.FAILED
    if job.status != job.Status.FAILED:
        return False
    if job.preview and not job.preview.get("has_errors"):
        enqueue_import(job)
    else:
        _set(job, status=job.Status.QUEUED, error="")
        enqueue_preview(job)
    return True


def job_context(job, pipeline) -> dict:
    """What the job partial shows: state, progress, then the preview or the outcome."""
    if job is None:
        return {"job": None}
    preview = None
    if job.status == job.Status.PREVIEW_READY:
        preview = StoredPreview(job.preview, token=str(job.pk))
    elif job.status == job.Status.FAILED and job.outcome:
        preview = StoredPreview(job.outcome)
    return {"job": job, "preview": preview, "import_url": reverse(pipeline.page)}


def import_page(request, *, pipeline, form, session_key, template, region_of, context=None):
    """The import page's steps: upload (a job, previewed in the worker); confirm (the import
    in the worker, all or nothing); cancel; start a failed job again.

    `form` is the bound upload form (kind, region, file); `region_of(pk)` gives the
    region a waiting preview was made for, checked again for the user at confirm (it
    raises, or returns None for a national import). The page shows the user's current
    job (kept in the session); another user's job is not found (404).
    """
    here = request.path
    jobs = jobs_of(request.user).filter(pipeline=pipeline.path)

    def current():
        pk = request.POST.get("job") or request.session.get(session_key, {}).get("job")
        if not pk:
            return None
        if not str(pk).isdigit():
            raise Http404
        return get_object_or_404(jobs, pk=pk)

    if request.method == "POST" and "cancel" in request.POST:
        job = current()
        if job is not None:
            cancel_job(job)
        request.session.pop(session_key, None)
        messages.info(request, _("Het importeren is geannuleerd; het bestand is verwijderd."))
        return redirect(here)
    if request.method == "POST" and "confirm" in request.POST:
        job = current()
        if job is None:
            messages.error(request, _("Er is geen voorbeeld om te bevestigen; upload het bestand."))
            return redirect(here)
        try:
            waiting_job(pipeline, job.pk, user=request.user)
            region_of(job.region_id)
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect(here)
        enqueue_import(job)
        return redirect(here)
    if request.method == "POST" and "retry" in request.POST:
        job = current()
        if job is None or not retry_job(job):
            messages.error(request, _("Dit bestand kan niet opnieuw worden gestart; upload het."))
        return redirect(here)

    if request.method == "POST" and form.is_valid():
        kind, region, upload = (form.cleaned_data[k] for k in ("kind", "region", "file"))
        raw = upload.read()
        if len(raw) > MAX_IMPORT_BYTES:
            form.add_error("file", str(too_large_error()))
        else:
            # A new upload replaces the preview waiting: its rows go at once.
            waiting = current()
            if waiting is not None:
                cancel_job(waiting)
            job = create_job(
                pipeline, kind=kind, raw=raw, filename=upload.name, region=region, user=request.user
            )
            request.session[session_key] = {"job": job.pk}
            enqueue_preview(job)
    job = None
    try:
        job = current()
    except Http404:
        request.session.pop(session_key, None)
    if job is not None:
        job.refresh_from_db()
    return render(
        request,
        template,
        {"form": form, **job_context(job, pipeline), **(context or {})},
    )


def job_status(request, pk):
    """The state of one import job: the partial htmx asks for every 2 seconds, or the
    whole page (the plain refresh link)."""
    from django.utils.module_loading import import_string

    job = get_object_or_404(jobs_of(request.user), pk=pk)
    pipeline = import_string(job.pipeline)
    template = "import_job.html"
    if request.htmx:
        template += "#job"
    return render(request, template, {"title": _("Import"), **job_context(job, pipeline)})


# --- the audit trail of bulk writes ---------------------------------------------------


def _checked(model, names) -> set:
    """Field names as auditlog's fields_to_check wants them (a foreign key by attname)."""
    out = set()
    for name in names:
        field = model._meta.get_field(name)
        out |= {field.name, field.attname}
    return out


def bulk_audit(changes, *, actor=None, fields=None) -> int:
    """django-auditlog entries for records written in bulk (bulk_create and bulk_update
    send no signals): one entry per (old, new) pair, old None for a new record, with the
    same diff, masking and additional data as auditlog's own receivers; one INSERT per
    batch. `fields`: the only fields the bulk write set (the diff skips the rest: for a
    new record they hold the model's defaults, diffed once). Returns the entries written."""
    from auditlog.cid import get_cid
    from auditlog.context import auditlog_value
    from auditlog.diff import model_instance_diff
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    changes = list(changes)
    if not changes:
        return 0
    if actor is None:  # in a request, the user auditlog's middleware knows
        actor = (auditlog_value.get(None) or {}).get("actor")
    json_changes = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    model = type(changes[0][1])
    check = defaults = None
    if fields is not None:
        varying = set(fields) | {model._meta.pk.name}
        varying |= {
            f.name
            for f in model._meta.concrete_fields
            if callable(f.default)
            or getattr(f, "auto_now", False)
            or f.auto_created
            or getattr(f, "auto_now_add", False)
        }
        check = _checked(model, varying)
        rest = _checked(model, [f.name for f in model._meta.concrete_fields]) - check
        defaults = (
            model_instance_diff(
                None, model(), fields_to_check=rest, use_json_for_changes=json_changes
            )
            or {}
        )
    cid = get_cid()
    content_type = ContentType.objects.get_for_model(model)
    entries = []
    for old, new in changes:
        diff = (
            model_instance_diff(old, new, fields_to_check=check, use_json_for_changes=json_changes)
            or {}
        )
        if old is None and defaults:
            diff = {**defaults, **diff}
        if not diff:
            continue
        extra = getattr(new, "get_additional_data", None)
        entries.append(
            LogEntry(
                content_type=content_type,
                object_pk=str(new.pk),
                object_id=new.pk,
                object_repr=str(new),
                action=LogEntry.Action.CREATE if old is None else LogEntry.Action.UPDATE,
                changes=diff,
                actor=actor if actor is not None and actor.pk else None,
                actor_email=getattr(actor, "email", None) if actor is not None else None,
                additional_data=extra() if callable(extra) else None,
                cid=cid,
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=500)
    index_entries(entries)  # bulk_create sends no signal: "recent changes" reads this index
    return len(entries)


def bulk_audit_m2m(instances, field_name, related, *, actor=None) -> int:
    """The entries auditlog's m2m_changed receiver writes when related objects are added
    to new records (`related`: instance -> the objects added), in one INSERT per batch."""
    from auditlog.cid import get_cid
    from auditlog.context import auditlog_value
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    if actor is None:
        actor = (auditlog_value.get(None) or {}).get("actor")
    cid = get_cid()
    entries = [
        LogEntry(
            content_type=ContentType.objects.get_for_model(instance),
            object_pk=str(instance.pk),
            object_id=instance.pk,
            object_repr=str(instance),
            action=LogEntry.Action.UPDATE,
            changes={
                field_name: {
                    "type": "m2m",
                    "operation": "add",
                    "objects": [str(obj) for obj in related[instance]],
                }
            },
            actor=actor if actor is not None and actor.pk else None,
            actor_email=getattr(actor, "email", None) if actor is not None else None,
            cid=cid,
        )
        for instance in instances
        if related.get(instance)
    ]
    LogEntry.objects.bulk_create(entries, batch_size=500)
    index_entries(entries)  # bulk_create sends no signal: "recent changes" reads this index
    return len(entries)


def update_rows(model, objects, names) -> None:
    """UPDATE each object's `names` in one executemany: Django's bulk_update builds a CASE
    per field and row, which costs seconds per thousand rows. No signals, as bulk_update."""
    from django.db import connection

    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    # Only quoted names of the model's own table and columns; every value is a parameter.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in fields),
        quote(model._meta.pk.column),
    )
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
