"""Writes that touch several models: the DUO import in two steps (preview, confirm)."""

import os
import re
import secrets
import time
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


def preview_import(*, kind: str, raw: bytes, region=None, user=None) -> ImportPreview:
    """A dry run inside a rolled-back transaction: shows what would happen, writes nothing."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("Het bestand is groter dan 20 MB."))
    preview = ImportPreview(kind=kind, result=_run(kind, raw, dry_run=True, region=region))
    if not preview.has_errors:
        preview.token = stash(raw, user=user)
    return preview


def confirm_import(*, kind: str, token: str, user, region=None) -> ImportPreview:
    """Run the previewed file for real; any row error rolls the whole file back."""
    raw = unstash(token, user=user)
    with transaction.atomic():
        result = _run(kind, raw, dry_run=False, user=user, region=region)
        preview = ImportPreview(kind=kind, result=result)
        if preview.has_errors:
            transaction.set_rollback(True)
    return preview


# --- four eyes on roles ------------------------------------------------------------


def approve_role(assignment, *, by) -> None:
    """A second person approves a pending role; from now on it counts (get_scope)."""
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from .selectors import get_scope

    scope = get_scope(by)
    if not scope.can_approve_role(assignment):
        raise PermissionDenied
    # The approval covers the regions the approver answers for, as the role reaches
    # them now: a coordinator his own, a beheerder all. A school moving elsewhere later
    # makes the role wait for that region (RoleAssignment.unapproved_region_ids).
    reached = assignment.region_ids()
    covered = reached if scope.is_beheerder else reached & scope.coordinator_regions
    assignment.approved_regions = sorted(set(assignment.approved_regions or []) | covered)
    assignment.approved_by = by
    assignment.approved_at = timezone.now()
    assignment.save(update_fields=["approved_by", "approved_at", "approved_regions"])


def reject_role(assignment, *, by) -> None:
    """A second person refuses a pending role: it is deleted, and the audit entry of the
    deletion says it was rejected (shown under "Rolwijzigingen")."""
    from django.core.exceptions import PermissionDenied

    from .selectors import get_scope

    if not get_scope(by).can_approve_role(assignment):
        raise PermissionDenied
    assignment._rejected = True
    assignment.delete()
