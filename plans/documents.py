"""Services of the plan's documents: export, freeze, retry, share, and the log of who did
what with which version. Views stay thin; the PDF itself is made by plans.tasks."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from regions.models import Region, school_region_ids
from regions.selectors import get_scope

from .models import DocumentStatus, PlanDocument, PlanEvent
from .snapshot import build_snapshot
from .tasks import render_plan_document

Action = PlanEvent.Action


# --- the log ----------------------------------------------------------------------


def log(region, user, action, *, document=None, detail=""):
    return PlanEvent.objects.create(
        region=region,
        document=document,
        user=user,
        username=user.get_username(),
        action=action,
        detail=str(detail)[:200],
    )


# --- rendering (called by the task) -------------------------------------------------


def version_label(document) -> str:
    if document.is_frozen:
        return _("versie %(n)s") % {"n": document.number}
    return _("concept")


def page_footer_css() -> str:
    """The CSS `content` of the footer, "Pagina X van Y" in the active language: the same
    msgid as the lists' pagination, its placeholders turned into page counters."""
    words = _("Pagina %(n)s van %(total)s") % {"n": "\x00", "total": "\x01"}
    before, rest = words.split("\x00")
    between, after = rest.split("\x01")
    return (
        f"{css_string(before)} counter(page) {css_string(between)} counter(pages) "
        f"{css_string(after)}"
    )


def css_string(text: str) -> str:
    """A CSS string literal that no translation can break out of (safe inside <style>)."""
    escaped = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def plan_html(document) -> str:
    """The PDF's HTML, from the stored snapshot alone, in the document's language."""
    plan = document.snapshot
    with translation.override(document.language):
        title = _("Regioplan %(region)s") % {"region": plan["region"]["name"]}
        return render_to_string(
            "plans/pdf.html",
            {
                "plan": plan,
                "language": document.language,
                "date": date.fromisoformat(plan["date"]),
                "title": title,
                "version_label": version_label(document),
                "page_footer": page_footer_css(),
                "print": True,
            },
        )


def plan_pdf(document) -> bytes:
    from .pdf import render_pdf

    return render_pdf(plan_html(document))


def file_name(document) -> str:
    kind = f"v{document.number}" if document.is_frozen else f"concept-{document.pk}"
    return f"regioplan-{slugify(document.region.name)}-{kind}.pdf"


# --- export, freeze, retry ----------------------------------------------------------


def _enqueue(document):
    # Inside the caller's transaction: with the database backend the task row is
    # committed together with the document, so neither exists without the other.
    result = render_plan_document.enqueue(document.pk)
    PlanDocument.objects.filter(pk=document.pk).update(task_id=str(result.id)[:64])
    document.refresh_from_db()


def _language(user) -> str:
    return translation.get_language() or "nl"


@transaction.atomic
def export(region, user, *, language=None):
    """A PDF of the plan as it is now, not a version: gathered and made in the background,
    so the request returns at once (a frozen version gathers in the request: see freeze)."""
    language = language or _language(user)
    waiting = PlanDocument.objects.filter(
        region=region,
        number__isnull=True,
        language=language,
        status__in=[DocumentStatus.QUEUED, DocumentStatus.RENDERING],
    ).first()
    if waiting is not None and not waiting.may_retry():
        return waiting  # one export of a region in the queue at a time: asking again waits
    document = PlanDocument.objects.create(
        region=region, snapshot={}, language=language, created_by=user
    )
    log(region, user, Action.EXPORT, document=document)
    _enqueue(document)
    return document


def freeze(region, user, *, language=None, attempts=3):
    """The next numbered version of the region's plan, gathered in the request so it holds
    the plan at the moment of freezing, however long the queue. The region row is locked while the
    number is chosen, and the unique (region, number) constraint catches what a database
    without row locks (SQLite) lets through: two freezes at once get 1 and 2."""
    language = language or _language(user)
    with translation.override(language):
        snapshot = build_snapshot(region)
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                Region.objects.select_for_update().filter(pk=region.pk).first()
                last = last_number(region)
                document = PlanDocument.objects.create(
                    region=region,
                    number=(last or 0) + 1,
                    snapshot=snapshot,
                    language=language,
                    created_by=user,
                )
                log(region, user, Action.FREEZE, document=document)
                _enqueue(document)
                return document
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def last_number(region):
    return PlanDocument.objects.filter(region=region).aggregate(n=Max("number"))["n"]


class NotRetryable(Exception):
    """The document is ready, or still being made: there is nothing to make again."""


@transaction.atomic
def retry(document, user):
    """A failed render gets a new task for the same document (and snapshot); so does one
    whose worker died halfway (still queued or rendering long after it was asked for)."""
    if not document.may_retry():
        raise NotRetryable(_("Alleen een mislukte pdf kan opnieuw worden gemaakt."))
    PlanDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.QUEUED, error="")
    log(document.region, user, Action.RETRY, document=document)
    _enqueue(document)
    return document


class NotShareable(Exception):
    """Only a frozen version with a ready PDF is shared with (or withdrawn from) schools."""


@transaction.atomic
def share(document, user, *, shared: bool):
    """Share a frozen, ready version with the school leaders of the region's partner
    schools, or stop sharing it."""
    if not (document.is_frozen and document.is_ready):
        raise NotShareable(
            _("Alleen een vastgestelde versie met een klare pdf kan worden gedeeld.")
        )
    document.shared_with_schools = shared
    document.save(update_fields=["shared_with_schools"])
    log(document.region, user, Action.SHARE if shared else Action.UNSHARE, document=document)
    return document


def log_download(document, user):
    log(document.region, user, Action.DOWNLOAD, document=document)


def log_compare(region, user, a, b):
    """Logged once per user, pair of versions and day: a reader who pages through the
    comparison would otherwise flood the log."""
    detail = _("versie %(a)s met versie %(b)s") % {"a": a.number, "b": b.number}
    already = PlanEvent.objects.filter(
        region=region,
        user=user,
        action=Action.COMPARE,
        document=b,
        detail=detail,
        at__date=timezone.localdate(),
    ).exists()
    if not already:
        log(region, user, Action.COMPARE, document=b, detail=detail)


# --- who sees which document ----------------------------------------------------------


def plan_regions_for(user) -> frozenset:
    """Regions whose plan versions this user reads: coordinator, begeleider and manager
    of the region (the functional admin has no business with the plan)."""
    return get_scope(user).readable_regions


def get_plan_region(user, pk, *, write=False) -> Region:
    """The region of a plan page: 404 outside the readers, 403 for a reader who writes."""
    scope = get_scope(user)
    try:
        region = Region.objects.select_related("institution").get(pk=pk)
    except (Region.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if region.pk not in plan_regions_for(user):
        raise Http404
    if write and not scope.can_edit_region(region.pk):
        raise PermissionDenied
    return region


def shared_documents_for(user):
    """Frozen, ready versions shared with the partner schools this user leads."""
    schools = get_scope(user).leader_schools
    if not schools:
        return PlanDocument.objects.none()
    regions = set().union(*school_region_ids(schools).values())
    return (
        PlanDocument.objects.filter(
            region_id__in=regions,
            shared_with_schools=True,
            number__isnull=False,
            status=DocumentStatus.READY,
        )
        .select_related("region", "region__institution")
        .defer("pdf", "snapshot")
        .order_by("region__name", "-number")
    )


def get_document_for(user, region_pk, pk, *, write=False) -> PlanDocument:
    """A document the user may see: the region's readers see its frozen versions, its
    coordinator also the exports; a school leader only a version shared with him. 404
    otherwise, 403 for a reader who writes."""
    scope = get_scope(user)
    try:
        document = PlanDocument.objects.select_related("region").get(pk=pk, region_id=region_pk)
    except (PlanDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    coordinator = scope.can_edit_region(document.region_id)
    if document.region_id in plan_regions_for(user) and (document.is_frozen or coordinator):
        if write and not coordinator:
            raise PermissionDenied
        return document
    if not write and shared_documents_for(user).filter(pk=document.pk).exists():
        return document
    if write and shared_documents_for(user).filter(pk=document.pk).exists():
        raise PermissionDenied
    raise Http404
