"""One import pipeline for every import of the app: upload, preview, confirm, cancel.

An import is an `ImportPipeline` (the DUO files in regions.resources, the pupil data in
learners.resources; initiatives and checklists add theirs): it reads the upload (size,
encoding, cell length), keeps only the columns it reads, shows a dry run with per-row
errors, keeps the rows for the uploader under a random token, and on confirm runs them
for real inside one transaction: any row error leaves nothing changed.
`import_page` is the view of those steps that every import page uses.
"""

import codecs
import csv
import io
import json
import os
import re
import secrets
import time
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from import_export import fields, resources
from openpyxl.utils.exceptions import InvalidFileException

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


def _unreadable_xlsx() -> ImportFileError:
    return ImportFileError(_("Het Excel-bestand kan niet worden gelezen."))


def read_xlsx(raw: bytes) -> list[list]:
    """The rows of the first sheet of an XLSX file, values only: a formula is never run
    (openpyxl gives the value Excel stored, or nothing)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _unreadable_xlsx() from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:  # a zip bomb: a small file, gigabytes of XML
        raise ImportFileError(
            _("Het Excel-bestand is uitgepakt groter dan %(mb)s MB; sla het op als CSV.")
            % {"mb": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
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


# --- files waiting for confirmation ----------------------------------------------
# A previewed file waits in a private directory of the app (settings.IMPORT_STASH_DIR,
# 0700, files 0600), under a random token that only its uploader can redeem. It is
# deleted when confirmed or cancelled, and after IMPORT_STASH_MAX_AGE seconds by the
# cleanup that runs on every stash (and by `manage.py purge_import_uploads`).

TOKEN_RE = re.compile(r"[0-9a-f]{32}")


def _expired_error() -> ImportFileError:
    return ImportFileError(_("Het voorbeeld is verlopen; upload het bestand opnieuw."))


def stash_dir() -> Path:
    path = Path(settings.IMPORT_STASH_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)  # mkdir's mode is reduced by the umask and not applied to an old dir
    return path


def _stash_path(token: str, user) -> Path:
    """The file of `token` for this user; a token of another form (../..) is refused."""
    if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
        raise _expired_error()
    owner = user.pk if user is not None and user.pk else 0
    return stash_dir() / f"{owner}-{token}"


def purge_stash(*, max_age: int | None = None) -> int:
    """Delete files waiting longer than max_age seconds; returns how many."""
    max_age = settings.IMPORT_STASH_MAX_AGE if max_age is None else max_age
    limit = time.time() - max_age
    removed = 0
    for path in stash_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed by a parallel request
            continue
    return removed


def stash(raw: bytes, *, user=None) -> str:
    """Keep a previewed file until its uploader confirms it; returns its token."""
    purge_stash()
    token = secrets.token_hex(16)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(_stash_path(token, user), flags, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
    return token


def unstash(token: str, *, user=None) -> bytes:
    """The previewed file for `token` of this user, removed from disk."""
    path = _stash_path(token, user)
    try:
        expired = path.stat().st_mtime < time.time() - settings.IMPORT_STASH_MAX_AGE
        raw = b"" if expired else path.read_bytes()
    except FileNotFoundError:
        raise _expired_error() from None
    finally:
        path.unlink(missing_ok=True)
    if expired:
        raise _expired_error()
    return raw


def discard(token: str, *, user=None) -> None:
    """Cancel: the file waiting under `token` is deleted (a bad token is ignored)."""
    try:
        _stash_path(token, user).unlink(missing_ok=True)
    except ImportFileError:
        pass


# --- the pipeline ----------------------------------------------------------------


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
        labels = {
            "new": _("nieuw"),
            "update": _("bijwerken"),
            "skip": _("ongewijzigd"),
            "delete": _("verwijderen"),
        }
        headers = list(getattr(self.result, "diff_headers", []) or [])
        names = getattr(self.result, "column_labels", {})
        out = []
        for number, row in enumerate(self.result.rows[:200], start=2):
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
                    "action": labels.get(row.import_type, row.import_type),
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


class ImportPipeline:
    """The steps every import shares. A subclass names its kinds and says how a file
    becomes rows (`table`) and which resource imports them (`resource`)."""

    kinds: dict = {}  # kind -> label

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

    def preview(self, *, kind: str, raw: bytes, filename: str = "", region=None, user=None):
        """A dry run inside a rolled-back transaction: shows what would happen, writes
        nothing. The rows of a clean file wait (only the columns read) for its uploader."""
        self._check_kind(kind)
        if len(raw) > MAX_IMPORT_BYTES:
            raise too_large_error()
        dataset = self.table(kind, raw, filename)
        preview = ImportPreview(
            kind, self._run(kind, dataset, region=region, user=None, dry_run=True)
        )
        if not preview.has_errors:
            kept = {"headers": dataset.headers, "rows": [list(row) for row in dataset]}
            preview.token = stash(json.dumps(kept).encode(), user=user)
        return preview

    def confirm(self, *, kind: str, token: str, user, region=None) -> ImportPreview:
        """Run the previewed rows for real; any row error rolls the whole file back."""
        self._check_kind(kind)
        kept = json.loads(unstash(token, user=user))
        dataset = tablib.Dataset(*[tuple(row) for row in kept["rows"]], headers=kept["headers"])
        with transaction.atomic():
            outcome = ImportPreview(
                kind, self._run(kind, dataset, region=region, user=user, dry_run=False)
            )
            if outcome.has_errors:
                transaction.set_rollback(True)
        return outcome

    def cancel(self, token: str, *, user) -> None:
        discard(token, user=user)


def import_page(request, *, pipeline, form, session_key, template, region_of, context=None):
    """The import page's steps: upload and preview; confirm (all or nothing); cancel.

    `form` is the bound upload form (kind, region, file); `region_of(pk)` gives the
    region a waiting preview was made for, checked again for the user at confirm (it
    raises, or returns None for a national import).
    """
    here = request.path
    if request.method == "POST" and "cancel" in request.POST:
        pipeline.cancel(request.session.pop(session_key, {}).get("token", ""), user=request.user)
        messages.info(request, _("Het importeren is geannuleerd; het bestand is verwijderd."))
        return redirect(here)
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.pop(session_key, {})
        kind, token = pending.get("kind", ""), pending.get("token", "")
        if kind not in pipeline.kinds or not token:
            messages.error(request, _("Er is geen voorbeeld om te bevestigen; upload het bestand."))
            return redirect(here)
        try:
            region = region_of(pending.get("region"))
            outcome = pipeline.confirm(kind=kind, token=token, user=request.user, region=region)
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect(here)
        if outcome.has_errors:
            messages.error(request, _("Het importeren is afgebroken; er is niets gewijzigd."))
        else:
            messages.success(request, pipeline.done_message(outcome.totals))
        return redirect(here)

    preview = None
    if request.method == "POST" and form.is_valid():
        kind, region, upload = (form.cleaned_data[k] for k in ("kind", "region", "file"))
        try:
            preview = pipeline.preview(
                kind=kind, raw=upload.read(), filename=upload.name, region=region, user=request.user
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            # A new preview replaces the one waiting: its rows go at once.
            waiting = request.session.pop(session_key, {})
            pipeline.cancel(waiting.get("token", ""), user=request.user)
            if preview.token:
                request.session[session_key] = {
                    "kind": kind,
                    "token": preview.token,
                    "region": region.pk if region else None,
                }
    return render(request, template, {"form": form, "preview": preview, **(context or {})})
