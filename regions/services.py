"""Writes that touch several models: the DUO import in two steps (preview, confirm)."""

import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import tablib
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .resources import IMPORT_KINDS, ImportFileError, read_table

MAX_IMPORT_BYTES = 20 * 1024 * 1024


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
    def row_errors(self):
        """[(line in the file, [messages])]: line 1 is the header row."""
        out = []
        for row in self.result.invalid_rows:
            messages = []
            for errors in row.field_specific_errors.values():
                messages.extend(str(e) for e in errors)
            messages.extend(str(e) for e in row.non_field_specific_errors)
            out.append((row.number + 1, messages))
        for number, errors in self.result.row_errors():
            out.append((number + 1, [str(e.error) for e in errors]))
        return sorted(out, key=lambda item: item[0])


def _tmp_dir() -> Path:
    path = Path(getattr(settings, "IMPORT_TMP_DIR", "") or tempfile.gettempdir()) / "route2035"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def stash(raw: bytes, suffix: str = "") -> str:
    """Keep a previewed file on the server until it is confirmed; returns its token."""
    token = uuid.uuid4().hex + suffix
    (_tmp_dir() / token).write_bytes(raw)
    return token


def unstash(token: str) -> bytes:
    """The previewed file for `token` (removed from disk); refuses anything else."""
    path = _tmp_dir() / (token or "-")
    if not token or not token.replace(".", "").isalnum() or not path.is_file():
        raise ImportFileError(_("Het voorbeeld is verlopen; upload het bestand opnieuw."))
    raw = path.read_bytes()
    path.unlink(missing_ok=True)
    return raw


def _run(kind: str, raw: bytes, *, dry_run: bool, user=None, region=None):
    if kind not in IMPORT_KINDS:
        raise ImportFileError(_("Onbekend soort bestand."))
    _label, headers, resource_factory = IMPORT_KINDS[kind]
    resource = resource_factory(region)
    rows = [
        resource.normalise(dict(zip(table.headers, values, strict=True)))
        for table in [read_table(raw, headers)]
        for values in table
    ]
    dataset = tablib.Dataset(headers=list(rows[0]))
    for row in rows:
        dataset.append([row[key] for key in dataset.headers])
    return resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        collect_failed_rows=True,
        user=user,
    )


def preview_import(*, kind: str, raw: bytes, region=None) -> ImportPreview:
    """A dry run inside a rolled-back transaction: shows what would happen, writes nothing."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("Het bestand is groter dan 20 MB."))
    preview = ImportPreview(kind=kind, result=_run(kind, raw, dry_run=True, region=region))
    if not preview.has_errors:
        preview.token = stash(raw)
    return preview


def confirm_import(*, kind: str, token: str, user, region=None) -> ImportPreview:
    """Run the previewed file for real; any row error rolls the whole file back."""
    raw = unstash(token)
    with transaction.atomic():
        result = _run(kind, raw, dry_run=False, user=user, region=region)
        preview = ImportPreview(kind=kind, result=result)
        if preview.has_errors:
            transaction.set_rollback(True)
    return preview
