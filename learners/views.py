from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from regions.selectors import get_region_for_user, get_scope, schools_for

from . import selectors, services
from .forms import (
    ArrangementForm,
    CheckInForm,
    ConsultationForm,
    ConversationForm,
    CvoBesluitForm,
    DutyOfCareForm,
    ExportForm,
    HandoverForm,
    ImportForm,
    PlacementCaseForm,
    PlacementStepForm,
    PupilFilterForm,
    PupilForm,
)
from .models import (
    Arrangement,
    CheckIn,
    Consultation,
    Conversation,
    CvoBesluit,
    DutyOfCare,
    Handover,
    PlacementCase,
    Pupil,
)
from .resources import IMPORT_COLUMNS, IMPORT_KINDS, ImportFileError, export_pupils

PAGE_SIZE = 50
FORM_TEMPLATE = "learners/form_page.html"


@login_required
@vary_on_headers("HX-Request")
def pupil_list(request):
    if not selectors.may_list_pupils(request.user):
        raise Http404
    scope = get_scope(request.user)
    form = PupilFilterForm(
        request.GET or None, schools=schools_for(request.user).filter(is_partner=True)
    )
    pupils = form.filter(selectors.pupil_list(request.user))
    page = Paginator(pupils, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(PlacementCase.Status.choices)
    for pupil in page:
        pupil.placement_status_label = labels.get(pupil.placement_status, "")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "create_regions": selectors.editable_regions(request.user),
        "can_export": bool(scope.coordinator_regions),
        "names_column": bool(scope.coordinator_regions or scope.begeleider_regions),
        "unclear": selectors.unclear_duty_of_care(
            selectors.pupils_for(request.user).filter(show_identity=True)
        )
        if scope.coordinator_regions
        else [],
    }
    template = "learners/pupil_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@login_required
def pupil_detail(request, code):
    pupil = selectors.get_pupil_for_user(request.user, code)
    services.log_view(user=request.user, pupil=pupil)
    full = pupil.show_identity
    context = {
        "pupil": pupil,
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
    return _form_page(request, form, _("Nieuwe leerling in %(r)s") % {"r": region}, "/leerlingen/")


@login_required
@require_http_methods(["GET", "POST"])
def pupil_edit(request, code):
    pupil = selectors.get_pupil_for_user(request.user, code, action="edit")
    if request.method == "GET":
        services.log_view(user=request.user, pupil=pupil)
    form = PupilForm(request.POST or None, instance=pupil, region=pupil.region)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Leerling opgeslagen."))
        return redirect(pupil)
    return _form_page(request, form, _("Leerling %(code)s bewerken") % {"code": pupil.code}, pupil)


def _form_page(request, form, title, cancel, status=200):
    cancel_url = cancel if isinstance(cancel, str) else cancel.get_absolute_url()
    return render(
        request,
        FORM_TEMPLATE,
        {"form": form, "title": title, "cancel_url": cancel_url},
        status=status,
    )


# Records that hang off one pupil: (model, form, action needed, title new, title edit).
RECORDS = {
    "besluit": (
        CvoBesluit,
        CvoBesluitForm,
        "edit",
        gettext_lazy("Nieuw CvO-besluit"),
        gettext_lazy("CvO-besluit"),
    ),
    "arrangement": (
        Arrangement,
        ArrangementForm,
        "edit",
        gettext_lazy("Nieuw arrangement"),
        gettext_lazy("Arrangement"),
    ),
    "plaatsing": (
        PlacementCase,
        PlacementCaseForm,
        "edit",
        gettext_lazy("Nieuwe plaatsing"),
        gettext_lazy("Plaatsing"),
    ),
    "zorgplicht": (
        DutyOfCare,
        DutyOfCareForm,
        "edit",
        gettext_lazy("Zorgplicht vastleggen"),
        gettext_lazy("Zorgplicht"),
    ),
    "overdracht": (
        Handover,
        HandoverForm,
        "edit",
        gettext_lazy("Warme overdracht vastleggen"),
        gettext_lazy("Overdracht"),
    ),
    "vervolgcontact": (
        CheckIn,
        CheckInForm,
        "record",
        gettext_lazy("Vervolgcontact vastleggen"),
        gettext_lazy("Vervolgcontact vastleggen"),
    ),
    "consultatie": (
        Consultation,
        ConsultationForm,
        "record",
        gettext_lazy("Consultatie en advies vastleggen"),
        gettext_lazy("Consultatie en advies"),
    ),
    "gesprek": (
        Conversation,
        ConversationForm,
        "record",
        gettext_lazy("Gesprek vastleggen"),
        gettext_lazy("Gesprek"),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def record_form(request, code, kind, pk=None):
    """Add or change one record of a pupil; who may do it depends on the kind."""
    if kind not in RECORDS:
        raise Http404
    model, form_class, action, title_new, title_edit = RECORDS[kind]
    pupil = selectors.get_pupil_for_user(request.user, code, action=action)
    # A new record knows its pupil (and region) before validation: the model's own
    # rules need them.
    instance = get_object_or_404(model, pk=pk, pupil=pupil) if pk else model(pupil=pupil)
    if model is Arrangement:
        instance.region = pupil.region
    kwargs = {"region": pupil.region} if form_class in (ArrangementForm, PlacementCaseForm) else {}
    form = form_class(request.POST or None, instance=instance, **kwargs)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.pupil = pupil
        if model is Arrangement:
            record.region = pupil.region
        if model is CvoBesluit and not pk:
            record.institution = pupil.region.institution
        if hasattr(record, "recorded_by_id"):
            record.recorded_by = request.user
        if model is CheckIn and not record.due_date:
            record.due_date = record.done_on  # an unplanned check-in is due when it happens
        try:
            # Rules that need the pupil (overlapping duty periods, ...) run only now.
            record.full_clean(
                exclude=[f.name for f in model._meta.fields if f.name not in form.fields]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            record.save()
            form.save_m2m()
            messages.success(request, _("Opgeslagen."))
            if model is PlacementCase and not pk:
                return redirect(record)
            return redirect(pupil)
    title = f"{title_edit if pk else title_new} · {pupil.code}"
    return _form_page(request, form, title, pupil, status=400 if form.errors else 200)


def _add_errors(form, exc):
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def placement_detail(request, code, pk):
    pupil = selectors.get_pupil_for_user(request.user, code, action="record")
    case = get_object_or_404(
        PlacementCase.objects.select_related("to_school", "from_location", "transport_gemeente"),
        pk=pk,
        pupil=pupil,
    )
    services.log_view(user=request.user, pupil=pupil)
    return _placement_page(request, pupil, case)


def _placement_page(request, pupil, case, *, failed_step=None, failed_form=None, error=None):
    steps = []
    today = timezone.localdate()
    for step, label, done_on in [
        ("options_explored", _("Opties verkend"), case.options_explored_on),
        ("school_identified", _("School gevonden"), case.school_identified_on),
        ("tlv", _("TLV geregeld"), case.tlv_settled_on if case.tlv_settled else None),
        (
            "transport",
            _("Vervoer geregeld"),
            case.transport_decided_on if case.transport_settled else None,
        ),
        ("receiving_ready", _("Ontvangende school klaar"), case.receiving_ready_on),
        ("enrolled", _("Ingeschreven"), case.enrolled_on),
        ("first_evaluation", _("Eerste evaluatie gedaan"), case.first_evaluation_on),
    ]:
        if step == failed_step:
            form = failed_form
        else:
            form = PlacementStepForm(
                step=step,
                region=pupil.region,
                prefix=step,
                initial={
                    "on": done_on or today,
                    "to_school": case.to_school,
                    "tlv_needed": {True: "ja", False: "nee"}.get(case.tlv_needed, ""),
                    "tlv_payer": case.tlv_payer,
                    "transport_needed": {True: "ja", False: "nee"}.get(case.transport_needed, ""),
                    "transport_gemeente": case.transport_gemeente_id or pupil.home_gemeente_id,
                    "transport_decision": case.transport_decision,
                },
            )
        steps.append({"key": step, "label": label, "done_on": done_on, "form": form})
    return render(
        request,
        "learners/placement_detail.html",
        {
            "pupil": pupil,
            "case": case,
            "steps": steps,
            "unsettled": case.can_enrol(),
            "error": error,
            "failed_step": failed_step,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def placement_step(request, code, pk, step):
    pupil = selectors.get_pupil_for_user(request.user, code, action="edit")
    case = get_object_or_404(PlacementCase, pk=pk, pupil=pupil)
    if step not in services.STEPS:
        raise Http404
    form = PlacementStepForm(request.POST, step=step, region=pupil.region, prefix=step)
    if not form.is_valid():
        return _placement_page(
            request,
            pupil,
            case,
            failed_step=step,
            failed_form=form,
            error=_("Controleer de velden van deze stap."),
        )
    try:
        services.set_step(
            case=case,
            step=step,
            on=form.cleaned_data["on"],
            user=request.user,
            **form.step_data(),
        )
    except ValidationError as exc:
        case.refresh_from_db()
        return _placement_page(
            request, pupil, case, failed_step=step, failed_form=form, error=" ".join(exc.messages)
        )
    messages.success(request, _("Stap opgeslagen."))
    return redirect(case)


@login_required
def deadlines(request):
    items = selectors.deadlines_for(request.user)
    return render(
        request,
        "learners/deadlines.html",
        {
            "overdue": [d for d in items if d.overdue],
            "upcoming": [d for d in items if not d.overdue],
        },
    )


def _number(value):
    """A hand-edited filter in the URL answers 404, never 500."""
    if not str(value).isdigit():
        raise Http404
    return int(value)


@login_required
def figures(request):
    if not selectors.may_see_figures(request.user):
        raise Http404
    from regions.models import Location
    from regions.selectors import regions_for

    pupils = selectors.figure_pupils(request.user)
    regions = regions_for(request.user)
    region = location = school = None
    if request.GET.get("regio"):
        region = get_region_for_user(request.user, request.GET["regio"])
        pupils = pupils.filter(region=region)
    if request.GET.get("locatie"):
        location = get_object_or_404(
            Location.objects.filter(region__in=regions), pk=_number(request.GET["locatie"])
        )
        pupils = pupils.filter(
            Q(current_location=location)
            | Q(pk__in=PlacementCase.objects.filter(from_location=location).values("pupil_id"))
        )
    if request.GET.get("school"):
        school = get_object_or_404(schools_for(request.user), pk=_number(request.GET["school"]))
        pupils = pupils.filter(current_school=school)
    hide = selectors.hides_small_counts(request.user, pupils)
    return render(
        request,
        "learners/figures.html",
        {
            "figures": selectors.group_figures(pupils, hide_small=hide),
            "hide_small": hide,
            # Tells the reader (and the attacker's test) how every number was published.
            "rounded_to": selectors.ROUNDING if hide else None,
            "region": region,
            "location": location,
            "school": school,
            "regions": regions,
            "locations": Location.objects.filter(region__in=regions),
        },
    )


@login_required
def access_log(request, region_pk):
    region = get_region_for_user(request.user, region_pk)
    entries = selectors.access_log_for(request.user, region)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "learners/access_log.html", {"region": region, "page": page})


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
    return render(request, "learners/export.html", {"form": form, "region": region})


@login_required
@require_http_methods(["GET", "POST"])
def pupil_import(request):
    """Step 1: upload and preview. Step 2 (POST with confirm): write, all or nothing."""
    regions = selectors.editable_regions(request.user)
    if not regions.exists():
        raise PermissionDenied
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.pop("learners_import", {})
        region = regions.filter(pk=pending.get("region")).first()
        if not region or pending.get("kind") not in IMPORT_KINDS:
            messages.error(request, _("Er is geen voorbeeld om te bevestigen; upload het bestand."))
            return redirect("learners:pupil_import")
        try:
            outcome = services.confirm_import(
                kind=pending["kind"],
                token=pending.get("token", ""),
                region=region,
                user=request.user,
            )
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("learners:pupil_import")
        if outcome.has_errors:
            messages.error(request, _("Het importeren is afgebroken; er is niets gewijzigd."))
        else:
            t = outcome.totals
            messages.success(
                request,
                _("Import klaar: %(new)s nieuw, %(update)s bijgewerkt.")
                % {"new": t.get("new", 0), "update": t.get("update", 0)},
            )
        return redirect("learners:pupil_import")
    form = ImportForm(
        request.POST or None, request.FILES or None, regions=regions, kinds=IMPORT_KINDS
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            preview = services.preview_import(
                kind=data["kind"],
                raw=data["file"].read(),
                filename=data["file"].name,
                region=data["region"],
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if preview.token:
                request.session["learners_import"] = {
                    "kind": data["kind"],
                    "token": preview.token,
                    "region": data["region"].pk,
                }
    return render(
        request,
        "learners/import.html",
        {"form": form, "preview": preview, "columns": IMPORT_COLUMNS},
    )
