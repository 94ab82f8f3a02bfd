"""Background work of the imports: the preview and the import of an uploaded file run in
a worker (`manage.py db_worker`), never in a web request (regions.imports, ImportJob)."""

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from .imports import ImportFileError, _set, run_confirm, run_preview
from .models import ImportJob

logger = logging.getLogger(__name__)


def _failed(job, step):
    # Logged without the file's contents; the page says what to do.
    logger.exception("import job %s failed at %s", job.pk, step)
    _set(
        job,
        status=ImportJob.Status.FAILED,
        error=_(
            "Het importeren is mislukt; er is niets gewijzigd. Probeer het opnieuw; lukt het "
            "dan nog niet, meld het aan de functioneel beheerder."
        ),
    )


@task()
def preview_import(job_id: int) -> str:
    """queued -> previewing -> preview ready (or failed with a Dutch message)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.FAILED):
        return "skipped"
    try:
        run_preview(job)
    except ImportFileError:
        return "failed"  # run_preview stored the message
    except Exception:
        _failed(job, "preview")
        return "failed"
    return "preview_ready"


@task()
def import_rows(job_id: int) -> str:
    """preview ready -> importing -> done, or failed with nothing written."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.IMPORTING or not job.upload:
        return "skipped"
    try:
        run_confirm(job)
    except Exception:
        _failed(job, "import")
        return "failed"
    return job.status
