from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from regions.data_version import cached
from regions.imports import ImportFileError, import_page
from regions.models import Location
from regions.numbers import plain_int
from regions.pages import list_page, scope_allows
from regions.selectors import (
    editable_regions,
    get_region_for_user,
    get_scope,
    regions_for,
    schools_for,
)
from regions.versioning import ConflictError, current_values, rebase, save_if_current

from . import selectors, services
from .forms import (
    AccessLogFilterForm,
    ArrangementForm,
    CheckInForm,
    ConsultationForm,
    ConversationForm,
    CvoBesluitForm,
    DutyOfCareForm,
    ExportForm,
    FiguresFilterForm,
    HandoverForm,
    ImportForm,
    PlacementCaseForm,
    PlacementStepForm,
    PupilFilterForm,
    PupilForm,
)
from .models import PLACEMENT_STEP, PLACEMENT_STEPS, PlacementCase, Pupil
from .resources import (
    CHOICE_COLUMNS,
    IMPORT_COLUMNS,
    IMPORT_HINTS,
    PUPIL_IMPORT,
    export_pupils,
)

PAGE_SIZE = 50
DEADLINES_PAGE_SIZE = 100
MAX_PAGE_ASKED = 1000  # past any real list's last page
FIGURES_PAGE_SIZE = 100
FORM_TEMPLATE = "learners/form_page.html"


@login_required
@require_safe
@vary_on_headers("HX-Request")
def pupil_list(request):
    scope = get_scope(request.user)
    if not scope.may_list_pupils:
        raise Http404
    own_regions = scope.coordinator_regions | scope.begeleider_regions
    form = PupilFilterForm(
        request.GET or None,
        # Only what an option shows: a few hundred schools, each built with its SWV,
        # municipality and board, were a third of the large region's page.
        schools=schools_for(request.user)
        .filter(is_partner=True)
        .select_related(None)
        .only("pk", "name", "place"),
        locations=Location.objects.filter(region__in=own_regions) if own_regions else None,
        may_see_inactive=bool(scope.coordinator_regions),
        names=scope.may_see_pupil_names,
    )
    pupils = form.filter(selectors.pupil_list(request.user, inactive=form.wants_inactive))
    page = Paginator(pupils, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(PlacementCase.Status.choices)
    for pupil in page:
        pupil.placement_status_label = labels.get(pupil.placement_status, "")
    query = request.GET.copy()
    query.pop("page", None)
    partial = bool(request.htmx)
    n_unclear, unclear = (
        # The warnings go over every pupil in scope (a tenth of the large region's page):
        # kept per user and day until the data of the user's regions changes.
        cached(
            "pupil-list-unclear",
            own_regions,
            (request.user.pk,),
            lambda: _unclear_duty_of_care(request.user),
        )
        if scope.coordinator_regions and not partial
        else (0, [])
    )
    # Names on the page (and, on the full page, the duty-of-care warnings) are a look at
    # those pupils.
    shown = [p for p in page if p.show_identity] + [p for p, _reason in unclear]
    services.log_list(user=request.user, pupils=shown, detail=_("leerlingenlijst"))
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "create_regions": editable_regions(request.user),
        "can_export": scope.may_export_pupils,
        "names_column": scope.may_see_pupil_names,
        "sort_links": form.sort_links(),
        "incoming": selectors.incoming_pupils_for(request.user),
        "unclear": unclear,
        "n_unclear": n_unclear,
    }
    return list_page(request, "learners/pupil_list.html", context, partial=partial)


def _unclear_duty_of_care(user):
    """(how many, the first 20): the pupil list's duty-of-care warnings."""
    found = selectors.unclear_duty_of_care(selectors.pupils_for(user).filter(show_identity=True))
    return len(found), found[:20]


@login_required
@require_safe
def pupil_detail(request, code):
    pupil = selectors.get_pupil_for_user(request.user, code)
    services.log_view(user=request.user, pupil=pupil)
    full = pupil.show_identity
    scope = get_scope(request.user)
    context = {
        "pupil": pupil,
        "can_edit": scope.can_edit_pupil(pupil),
        "can_record": scope.can_record_for_pupil(
            pupil, assigned=selectors.is_assigned(request.user, pupil)
        ),
        "full": full,
        "decisions": pupil.decisions.select_related("institution") if full else [],
        "arrangements": pupil.arrangements.select_related("school").prefetch_related("begeleiders"),
        "placements": pupil.placements.select_related("to_school", "from_location", "from_school")
        if full
        else [],
        "duty_periods": pupil.duty_periods.select_related("institution", "bestuur") if full else [],
        "duty_problem": selectors.unclear_duty_of_care(Pupil.objects.filter(pk=pupil.pk))
        if full
        else [],
        "handovers": pupil.handovers.all() if full else [],
        "checkins": pupil.checkins.select_related("recorded_by") if full else [],
        "conversations": pupil.conversations.select_related("recorded_by") if full else [],
        "consultations": pupil.consultations.select_related("recorded_by") if full else [],
    }
    return render(request, "learners/pupil_detail.html", context)


@login_required
@require_POST
def pupil_access_request(request, code):
    """Inzageverzoek (AVG art. 15): everything about the pupil as a PDF, for the
    coordinator of the pupil's region. A POST (the button on the pupil page): producing it
    is logged, so a link followed by a prefetcher or a crawler must not produce it.
    Rendered here, not in a worker: one pupil makes a few pages in well under a second,
    and the coordinator is waiting for it."""
    from .access_request import dossier_pdf  # WeasyPrint loads only when it is needed

    pupil = selectors.get_pupil_for_user(request.user, code, action="edit")
    kinds = {kind.form._meta.model: slug for slug, kind in RECORD_KINDS.items()}
    # Logged first, so the PDF's own access log shows this request too.
    services.log_access_request(user=request.user, pupil=pupil)
    pdf = dossier_pdf(
        pupil, kinds=kinds, requested_by=request.user, base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="inzage-{pupil.code}-{stamp}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def pupil_create(request, region_pk):
    region = get_region_for_user(request.user, region_pk, write=True)
    form = PupilForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        pupil = form.save(commit=False)
        pupil.region = region
        pupil.save()
        messages.success(request, _("Leerling %(code)s aangemaakt.") % {"code": pupil.code})
        return redirect(pupil)
    title = _("Nieuwe leerling in %(r)s") % {"r": region}
    return _form_page(request, form, title, "/leerlingen/", status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def pupil_edit(request, code):
    pupil = selectors.get_pupil_for_user(request.user, code, action="edit")
    form = PupilForm(request.POST or None, instance=pupil, region=pupil.region)
    title = _("Leerling %(code)s bewerken") % {"code": pupil.code}
    if request.method == "POST" and form.is_valid():
        try:
            save_if_current(form.instance, form.cleaned_data["version"])
        except ConflictError as conflict:
            return _conflict_page(request, form, conflict, title, pupil)
        messages.success(request, _("Leerling opgeslagen."))
        return redirect(pupil)
    # The form shows the record's contents: that is a look at the pupil.
    services.log_view(user=request.user, pupil=pupil, detail=_("bewerkformulier"))
    return _form_page(request, form, title, pupil, status=400 if form.errors else 200)


def _form_page(request, form, title, cancel, status=200, conflict=None):
    cancel_url = cancel if isinstance(cancel, str) else cancel.get_absolute_url()
    return render(
        request,
        FORM_TEMPLATE,
        {"form": form, "title": title, "cancel_url": cancel_url, "conflict": conflict},
        status=status,
    )


def _conflict_page(request, form, conflict, title, pupil):
    """409 with the current values, keeping what this person typed (as the toolkit)."""
    rebase(form, conflict.current)
    # The page shows the record's current contents: that is a look at the pupil.
    services.log_view(user=request.user, pupil=pupil, detail=_("bewerkformulier"))
    context = {"message": str(conflict), "current": current_values(form, conflict.current)}
    return _form_page(request, form, title, pupil, status=409, conflict=context)


@dataclass(frozen=True)
class RecordKind:
    """One kind of record that hangs off a pupil, as the URL names it."""

    form: type
    action: str  # what the user must be allowed to do with the pupil (selectors)
    title_new: str
    title_edit: str
    from_placement: bool = False  # a new one may be opened from a placement (?plaatsing=)


RECORD_KINDS = {
    "besluit": RecordKind(
        CvoBesluitForm, "edit", gettext_lazy("Nieuw CvO-besluit"), gettext_lazy("CvO-besluit")
    ),
    "arrangement": RecordKind(
        ArrangementForm, "edit", gettext_lazy("Nieuw arrangement"), gettext_lazy("Arrangement")
    ),
    "plaatsing": RecordKind(
        PlacementCaseForm, "edit", gettext_lazy("Nieuwe plaatsing"), gettext_lazy("Plaatsing")
    ),
    "zorgplicht": RecordKind(
        DutyOfCareForm, "edit", gettext_lazy("Zorgplicht vastleggen"), gettext_lazy("Zorgplicht")
    ),
    "overdracht": RecordKind(
        HandoverForm,
        "edit",
        gettext_lazy("Warme overdracht vastleggen"),
        gettext_lazy("Overdracht"),
        from_placement=True,
    ),
    "vervolgcontact": RecordKind(
        CheckInForm,
        "record",
        gettext_lazy("Vervolgcontact vastleggen"),
        gettext_lazy("Vervolgcontact vastleggen"),
    ),
    "consultatie": RecordKind(
        ConsultationForm,
        "record",
        gettext_lazy("Consultatie en advies vastleggen"),
        gettext_lazy("Consultatie en advies"),
    ),
    "gesprek": RecordKind(
        ConversationForm, "record", gettext_lazy("Gesprek vastleggen"), gettext_lazy("Gesprek")
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def record_form(request, code, kind, pk=None):
    """Add or change one record of a pupil; who may do it depends on the kind."""
    record_kind = RECORD_KINDS.get(kind)
    if record_kind is None:
        raise Http404
    pupil = selectors.get_pupil_for_user(request.user, code, action=record_kind.action)
    model = record_kind.form._meta.model
    extra = {}
    if pk:
        extra["instance"] = get_object_or_404(model, pk=pk, pupil=pupil)
    elif record_kind.from_placement:
        extra["placement"] = _placement_from(request, pupil)
    form = record_kind.form(request.POST or None, pupil=pupil, user=request.user, **extra)
    title = f"{record_kind.title_edit if pk else record_kind.title_new} · {pupil.code}"
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                save_if_current(form.save(commit=False), form.cleaned_data["version"])
                form.save_m2m()
        except ConflictError as conflict:
            return _conflict_page(request, form, conflict, title, pupil)
        messages.success(request, _("Opgeslagen."))
        return redirect(form.success_url())
    services.log_view(
        user=request.user, pupil=pupil, detail=_("formulier: %(kind)s") % {"kind": kind}
    )
    return _form_page(request, form, title, pupil, status=400 if form.errors else 200)


def _placement_from(request, pupil):
    """The placement a new handover was opened from (?plaatsing=), or None."""
    ref = request.GET.get("plaatsing") or request.POST.get("plaatsing")
    if not ref:
        return None
    return get_object_or_404(PlacementCase, pk=_number(ref), pupil=pupil)


@login_required
@require_safe
def placement_detail(request, code, pk):
    pupil = selectors.get_pupil_for_user(request.user, code, action="record")
    case = get_object_or_404(
        PlacementCase.objects.select_related("to_school", "from_location", "transport_gemeente"),
        pk=pk,
        pupil=pupil,
    )
    services.log_view(user=request.user, pupil=pupil, detail=_("plaatsing"))
    return _placement_page(request, pupil, case)


def _placement_page(request, pupil, case):
    today = timezone.localdate()
    steps = [
        {
            "key": step.key,
            "label": step.label,
            "done_on": step.done_on(case),
            "form": PlacementStepForm(
                step=step.key,
                region=pupil.region,
                prefix=step.key,
                initial=PlacementStepForm.initial_for(case, step, today),
            ),
            "blocker": step.blocker(case),
        }
        for step in PLACEMENT_STEPS
    ]
    return render(
        request,
        "learners/placement_detail.html",
        {
            "pupil": pupil,
            "can_edit": get_scope(request.user).can_edit_pupil(pupil),
            "case": case,
            "steps": steps,
            "unsettled": case.enrolment_blockers(),
            "next_steps": selectors.after_enrolment_steps(case) if case.enrolled_on else [],
        },
    )


@login_required
@require_POST
def placement_step(request, code, pk, step):
    """Post/redirect/get: success and refusal both go back to the placement page,
    where the message is shown once."""
    pupil = selectors.get_pupil_for_user(request.user, code, action="edit")
    case = get_object_or_404(PlacementCase, pk=pk, pupil=pupil)
    if step not in PLACEMENT_STEP:
        raise Http404
    form = PlacementStepForm(request.POST, step=step, region=pupil.region, prefix=step)
    if not form.is_valid():
        problems = [
            f"{form.fields[n].label}: {' '.join(errs)}" if n in form.fields else " ".join(errs)
            for n, errs in form.errors.items()
        ]
        messages.error(
            request,
            _("%(step)s niet vastgelegd. %(problems)s")
            % {"step": PLACEMENT_STEP[step].label, "problems": " ".join(problems)},
        )
        return redirect(case)
    try:
        case = services.set_step(
            case=case,
            step=step,
            on=form.cleaned_data["on"],
            user=request.user,
            version=form.cleaned_data["version"],
            **form.step_data(),
        )
    except (ValidationError, ConflictError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
        return redirect(case)
    messages.success(request, _("Stap opgeslagen."))
    for line in getattr(case, "follow_up", []):
        messages.info(request, line)
    return redirect(case)


@login_required
@require_safe
@scope_allows("may_see_deadlines")
def deadlines(request):
    # Overdue items sort first (they are due before today), so one pagination over the
    # whole list keeps both sections in order; the headings count every item. Building
    # and sorting every deadline for that was 15-25 times a trivial view on a large
    # region: the page and the counts are kept per user, page and day until the data of
    # the user's regions changes (the whole list cost as much again to unpickle).
    scope = get_scope(request.user)
    asked = request.GET.get("page", "")
    # One key per page number that can mean something (0 or past the end: the last page;
    # anything else: the first), not one per string typed in the address bar, which
    # would push other people's pages out of the cache.
    asked = min(int(asked), MAX_PAGE_ASKED) if asked.isdigit() else 1
    number, shown_items, n_total, n_overdue = cached(
        "deadlines",
        scope.coordinator_regions | scope.begeleider_regions,
        (request.user.pk, asked),
        lambda: _deadline_page(request.user, asked),
    )
    page = Paginator(range(n_total), DEADLINES_PAGE_SIZE).get_page(number)
    page.object_list = shown_items
    shown = Pupil.objects.filter(pk__in={d.pupil_id for d in page}).only("pk", "region_id")
    services.log_list(user=request.user, pupils=shown, detail=_("deadlines"))
    return render(
        request,
        "learners/deadlines.html",
        {
            "page": page,
            "overdue": [d for d in page if d.overdue],
            "upcoming": [d for d in page if not d.overdue],
            "n_overdue": n_overdue,
            "n_upcoming": n_total - n_overdue,
        },
    )


def _deadline_page(user, number):
    """(page number, its deadlines, how many in all, how many overdue)."""
    items = selectors.deadlines_for(user)
    page = Paginator(items, DEADLINES_PAGE_SIZE).get_page(number)
    return page.number, list(page), len(items), sum(1 for d in items if d.overdue)


def _number(value):
    """A hand-edited filter in the URL answers 404, never 500."""
    number = plain_int(value)
    if number is None:
        raise Http404
    return number


@login_required
@require_safe
@scope_allows("may_see_figures")
def figures(request):
    regions = regions_for(request.user)
    form = FiguresFilterForm(request.GET, regions=regions, schools=schools_for(request.user))
    if not form.is_valid():
        raise Http404  # a hand-edited filter or one outside the user's regions
    region, location, school = (form.cleaned_data[n] for n in ("regio", "locatie", "school"))
    # The same answer until the pupils of these regions (or shared data) change: kept per
    # user, filter, language and day (the publication rules run once per change).
    scope = get_scope(request.user)
    page = cached(
        "figures",
        [r.pk for r in regions],
        (request.user.pk, *(f.pk if f else None for f in (region, location, school))),
        lambda: selectors.figures_page(
            request.user, regions, region=region, location=location, school=school
        ),
        anywhere=bool(scope.leader_schools),
    )
    hide = page["hide_small"]
    # A manager's page lists every school with pupils (thousands nationally): shown in
    # pages; the publication rules ran over the whole table, a page only shows less.
    query = request.GET.copy()
    query.pop("page", None)
    school_rows = Paginator((page.get("figures") or {}).get("schools") or [], FIGURES_PAGE_SIZE)
    return render(
        request,
        "learners/figures.html",
        {
            **page,
            "school_rows": school_rows.get_page(request.GET.get("page")),
            "query": query.urlencode(),
            # Tells the reader (and the attacker's test) how every number was published.
            "rounded_to": selectors.ROUNDING if hide else None,
            "region": region,
            "location": location,
            "school": school,
            "form": form,
        },
        # A combination of filters for a rounded role: the form says why, nothing shown.
        status=400 if page.get("too_many_filters") else 200,
    )


@login_required
@require_safe
def access_log(request, region_pk):
    region = get_region_for_user(request.user, region_pk)
    form = AccessLogFilterForm(request.GET or None)
    entries = form.filter(selectors.access_log_for(request.user, region))
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learners/access_log.html",
        {"region": region, "page": page, "form": form, "query": query.urlencode()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pupil_export(request, region_pk):
    region = get_region_for_user(request.user, region_pk, write=True)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with_names = form.cleaned_data["with_names"]
        fmt = form.cleaned_data["format"]
        pupils = Pupil.objects.filter(region=region).select_related(
            "current_school", "current_location", "level", "home_gemeente"
        )
        content, count = export_pupils(pupils, with_names=with_names, fmt=fmt)
        services.log_export(
            user=request.user, region=region, count=count, with_names=with_names, fmt=fmt
        )
        content_type = (
            "text/csv; charset=utf-8"
            if fmt == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(content, content_type=content_type)
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="leerlingen-{stamp}.{fmt}"'
        return response
    context = {"form": form, "region": region, "cancel_url": reverse("learners:pupil_list")}
    return render(request, "learners/export.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pupil_import(request):
    """Step 1: upload and preview. Step 2 (POST with confirm): write, all or nothing."""
    if not get_scope(request.user).may_import_pupils:
        raise PermissionDenied
    regions = editable_regions(request.user)

    def region_of(pk):
        region = regions.filter(pk=pk).first()
        if region is None:
            raise ImportFileError(_("Er is geen voorbeeld om te bevestigen; upload het bestand."))
        return region

    return import_page(
        request,
        pipeline=PUPIL_IMPORT,
        form=ImportForm(
            request.POST or None, request.FILES or None, regions=regions, kinds=PUPIL_IMPORT.kinds
        ),
        session_key="learners_import",
        template="learners/import.html",
        region_of=region_of,
        context={
            "title": _("Leerlinggegevens importeren"),
            "columns": {
                kind: ("; ".join(names), IMPORT_HINTS.get(kind, ""))
                for kind, names in IMPORT_COLUMNS.items()
            },
            # What the importer accepts (learners.resources._choice: value or label).
            "choice_columns": CHOICE_COLUMNS,
            "templates": list(IMPORT_COLUMNS),
        },
    )


@login_required
@require_safe
def pupil_import_template(request, kind):
    """An empty file to fill in: the header row with the columns the import reads, in
    their order, separated by ';' (what Excel uses with Dutch settings)."""
    if not get_scope(request.user).may_import_pupils:
        raise PermissionDenied
    if kind not in IMPORT_COLUMNS:
        raise Http404
    response = HttpResponse(
        ";".join(IMPORT_COLUMNS[kind]) + "\r\n", content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sjabloon-{kind}.csv"'
    return response
