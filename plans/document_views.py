"""The plan's documents: export and freeze (made in the background), their status (htmx
polls it), download, the versions page with the log, compare, share with schools."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regions.pages import read_page
from regions.selectors import get_scope

from . import documents
from .compare import compare
from .models import DocumentStatus, PlanDocument, PlanEvent

LOG_PAGE_SIZE = 25


def _status_answer(request, document):
    """htmx: the status partial (it polls itself until ready or failed); without
    JavaScript: the status page with a refresh link."""
    context = {
        "document": document,
        "region": document.region,
        "can_write": _writes(request, document),
    }
    if request.htmx:
        return render(request, "plans/document_status.html#status", context)
    return redirect("plans:plan_document", region_pk=document.region_id, pk=document.pk)


def _writes(request, document) -> bool:
    return get_scope(request.user).can_edit_region(document.region_id)


@login_required
@require_POST
def plan_export(request, pk):
    region = documents.get_plan_region(request.user, pk, write=True)
    document = documents.export(region, request.user)
    return _status_answer(request, document)


@login_required
@require_http_methods(["GET", "POST"])
def plan_freeze(request, pk):
    """GET: what freezing means, with the button; POST: freeze. A version never changes
    afterwards, so one click on the plan page only asks (it works without JavaScript)."""
    region = documents.get_plan_region(request.user, pk, write=True)
    if request.method == "GET":
        return render(
            request,
            "plans/freeze_confirm.html",
            {"region": region, "number": (documents.last_number(region) or 0) + 1},
        )
    document = documents.freeze(region, request.user)
    messages.success(request, _("Versie %(n)s is vastgesteld.") % {"n": document.number})
    return _status_answer(request, document)


@read_page
def plan_document(request, region_pk, pk):
    document = documents.get_document_for(request.user, region_pk, pk)
    if document.region_id not in documents.plan_regions_for(request.user):
        raise Http404  # a school leader downloads a shared version; the rest is the region's
    template = "plans/document_status.html"
    if request.htmx:
        template += "#status"
    return render(
        request,
        template,
        {"document": document, "region": document.region, "can_write": _writes(request, document)},
    )


@login_required
@require_POST
def plan_retry(request, region_pk, pk):
    document = documents.get_document_for(request.user, region_pk, pk, write=True)
    try:
        documents.retry(document, request.user)
    except documents.NotRetryable as error:
        messages.error(request, str(error))
    document.refresh_from_db()
    return _status_answer(request, document)


@read_page
def plan_download(request, region_pk, pk):
    document = documents.get_document_for(request.user, region_pk, pk)
    if document.status != DocumentStatus.READY:
        raise Http404
    documents.log_download(document, request.user)
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{documents.file_name(document)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def plan_share(request, region_pk, pk):
    document = documents.get_document_for(request.user, region_pk, pk, write=True)
    choice = request.POST.get("delen")
    if choice not in ("0", "1"):
        messages.error(request, _("Kies of de versie gedeeld wordt of niet meer."))
        return redirect("plans:plan_versions", pk=document.region_id)
    shared = choice == "1"
    try:
        documents.share(document, request.user, shared=shared)
    except documents.NotShareable as error:
        messages.error(request, str(error))
        return redirect("plans:plan_versions", pk=document.region_id)
    if shared:
        messages.success(
            request, _("Versie %(n)s is gedeeld met de partnerscholen.") % {"n": document.number}
        )
    else:
        messages.success(
            request, _("Versie %(n)s wordt niet meer gedeeld.") % {"n": document.number}
        )
    return redirect("plans:plan_versions", pk=document.region_id)


@read_page
def plan_versions(request, pk):
    region = documents.get_plan_region(request.user, pk)
    scope = get_scope(request.user)
    can_write = scope.can_edit_region(region.pk)
    all_documents = (
        PlanDocument.objects.filter(region=region)
        .select_related("created_by")
        .defer("pdf", "snapshot")
    )
    versions = [d for d in all_documents if d.is_frozen]
    exports = [d for d in all_documents if not d.is_frozen] if can_write else []
    context = {
        "region": region,
        "versions": sorted(versions, key=lambda d: -d.number),
        "exports": exports[:10],
        "can_write": can_write,
    }
    if can_write:
        events = PlanEvent.objects.filter(region=region).select_related("document")
        context["page"] = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/versions.html", context)


@read_page
def plan_compare(request, pk):
    region = documents.get_plan_region(request.user, pk)
    numbers = {}
    for key in ("a", "b"):
        raw = request.GET.get(key, "")
        # A version number has a few digits; a longer one overflows the database column.
        numbers[key] = int(raw) if raw.isdigit() and len(raw) <= 9 else None
    found = {
        d.number: d
        for d in PlanDocument.objects.filter(
            region=region, number__in=[n for n in numbers.values() if n]
        )
    }
    a, b = found.get(numbers["a"]), found.get(numbers["b"])
    context = {"region": region, "a": a, "b": b, "versions": _version_numbers(region)}
    if a is None or b is None or a == b:
        context["error"] = _("Kies twee verschillende vastgestelde versies om te vergelijken.")
        return render(request, "plans/compare.html", context, status=400)
    documents.log_compare(region, request.user, a, b)
    context["sections"] = compare(a.snapshot, b.snapshot)
    return render(request, "plans/compare.html", context)


def _version_numbers(region):
    return list(
        PlanDocument.objects.filter(region=region, number__isnull=False)
        .order_by("number")
        .values_list("number", flat=True)
    )


@read_page
def shared_plans(request):
    """The versions shared with the school leader's partner schools (404 for whoever
    leads no school: the regions' readers have the versions page)."""
    if not get_scope(request.user).leader_schools:
        raise Http404
    return render(
        request,
        "plans/shared_plans.html",
        {"documents": documents.shared_documents_for(request.user)},
    )
