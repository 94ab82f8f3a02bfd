"""Background work of the ground floor: bounded retries for every app's tasks, and the
imports' preview and import, which run in a worker (`manage.py db_worker`), never in a web
request (regions.imports, ImportJob).

Bounded retries (django-tasks 0.12 has none of its own):

    @task()
    @retrying(max_attempts=3, on_give_up=mark_failed)
    def some_task(...): ...

When the task raises, the same task is queued again (a new task result) with the attempt
number as an extra keyword argument, after a delay that grows with each attempt when the
backend can defer (the database backend can; the ImmediateBackend of the tests runs it at
once). The last attempt calls `on_give_up` with the task's arguments and lets the
exception through, so its task result is FAILED with the traceback: nothing is lost, and
/health/ counts it."""

import functools
import logging
from datetime import timedelta

from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from .imports import ImportFileError, _set, run_confirm, run_preview
from .models import ImportJob

logger = logging.getLogger(__name__)

ATTEMPT = "retry_attempt"


class RetryWith(Exception):
    """Raised by a task that did part of its work: the next attempt gets these keyword
    arguments (what is left), so nothing is done twice."""

    def __init__(self, message, **kwargs):
        super().__init__(message)
        self.kwargs = kwargs


def retrying(max_attempts=3, delay=timedelta(seconds=30), on_give_up=None):
    def decorate(func):
        name = f"{func.__module__}.{func.__qualname__}"

        @functools.wraps(func)
        def attempt(*args, **kwargs):
            number = kwargs.pop(ATTEMPT, 1)
            try:
                return func(*args, **kwargs)
            except Exception as error:
                if number >= max_attempts:
                    logger.exception(
                        "Task %s failed on attempt %s of %s: given up", name, number, max_attempts
                    )
                    if on_give_up is not None:
                        on_give_up(*args, **kwargs)
                    raise
                logger.warning(
                    "Task %s failed on attempt %s of %s: retried",
                    name,
                    number,
                    max_attempts,
                    exc_info=True,
                )
                if isinstance(error, RetryWith):
                    kwargs = {**kwargs, **error.kwargs}
                again = import_string(name)  # the Task object that @task made of us
                if again.get_backend().supports_defer and delay:
                    again = again.using(run_after=timezone.now() + delay * number)
                result = again.enqueue(*args, **{**kwargs, ATTEMPT: number + 1})
                return f"attempt {number} failed; attempt {number + 1} is task {result.id}"

        return attempt

    return decorate


# The imports: a failed step is not retried by itself; the page offers "Opnieuw proberen".


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
        outcome = run_confirm(job)
    except Exception:
        _failed(job, "import")
        return "failed"
    if outcome is None:
        return "skipped"  # another task imported it (or it was cancelled)
    return job.status
