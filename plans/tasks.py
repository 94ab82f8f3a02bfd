"""Background work of the regional plan: rendering a document's PDF in a worker
(`manage.py db_worker`), never in a web request."""

import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from regions.tasks import retrying

from .models import DocumentStatus, PlanDocument

logger = logging.getLogger(__name__)


def _give_up(document_id: int) -> None:
    """After the last attempt: failed, with a message the coordinator can act on."""
    PlanDocument.objects.filter(pk=document_id).update(
        status=DocumentStatus.FAILED,
        error=_(
            "De pdf kon niet worden gemaakt. Probeer het opnieuw; lukt het dan nog niet, "
            "meld het aan de functioneel beheerder."
        ),
    )


@task()
@retrying(max_attempts=3, on_give_up=_give_up)
def render_plan_document(document_id: int) -> str:
    """queued -> rendering -> ready (PDF and its sha256 stored). A failed render is tried
    again (queued) up to three times, then failed with a message the coordinator can act
    on (their retry makes a new task for the same document)."""
    from .documents import plan_pdf  # rendering pulls in WeasyPrint: only in the worker

    with transaction.atomic():
        document = PlanDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            return "missing"
        if document.is_frozen and document.is_ready:
            return "frozen"  # a frozen version's PDF is made once and never again
        document.status = DocumentStatus.RENDERING
        document.attempts += 1
        document.error = ""
        document.save(update_fields=["status", "attempts", "error"])
    try:
        if not document.snapshot:  # an export: gathered now, in the worker
            from .snapshot import build_snapshot

            with translation.override(document.language):
                document.snapshot = build_snapshot(document.region)
            document.save(update_fields=["snapshot"])
        data = plan_pdf(document)
    except Exception:
        # Waiting for the next attempt; the last one ends in _give_up (failed).
        document.status = DocumentStatus.QUEUED
        document.save(update_fields=["status"])
        raise
    document.set_pdf(data)
    document.status = DocumentStatus.READY
    document.rendered_at = timezone.now()
    document.save(update_fields=["pdf", "pdf_sha256", "status", "rendered_at"])
    return "ready"


@task()
def purge_expired_data(purge: bool = True) -> dict:
    """The daily retention purge in the worker; returns the counts per kind."""
    from .retention import purge_expired

    return {outcome.kind: outcome.count for outcome in purge_expired(purge=purge)}
