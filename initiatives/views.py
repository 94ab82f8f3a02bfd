"""Initiatives, agreements and transition plans of closing (v)so locations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from regions import selectors as region_selectors
from regions.pages import list_page
from regions.versioning import ConflictError, current_values, rebase, save_if_current

from . import selectors, services
from .forms import InitiativeFilterForm, InitiativeForm, PartnerForm, StatusForm
from .models import InitiativePartner

# --- initiatives ----------------------------------------------------------------------

PAGE_SIZE = 25


@login_required
@require_safe
@vary_on_headers("HX-Request")
def initiative_list(request):
    if not selectors.may_list_initiatives(request.user):
        raise Http404
    regions = region_selectors.regions_for(request.user)
    form = InitiativeFilterForm(request.GET or None, regions=regions)
    initiatives = form.filter(selectors.initiative_list(request.user))
    page = Paginator(initiatives, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    scope = region_selectors.get_scope(request.user)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "show_region": len(regions) > 1,
        "create_regions": [r for r in regions if scope.can_edit_region(r.pk)],
    }
    return list_page(request, "initiatives/initiative_list.html", context)


def _detail_context(request, initiative, **extra):
    can_edit = region_selectors.get_scope(request.user).can_edit_region(initiative.region_id)
    context = {
        "initiative": initiative,
        "can_edit": can_edit,
        "partners": initiative.partners.select_related("school", "bestuur", "swv", "gemeente"),
        "status_changes": selectors.status_history(initiative),
        "figures": selectors.pupil_figures(request.user, initiative),
        "lines": initiative.lines.all(),
        "actions": initiative.actions.select_related("line"),
        "history": selectors.change_history(initiative),
    }
    if can_edit:
        context["partner_form"] = PartnerForm(initiative=initiative)
        context["status_form"] = StatusForm(initiative=initiative)
    return context | extra


@login_required
@require_safe
def initiative_detail(request, pk):
    initiative = selectors.get_initiative_for_user(request.user, pk)
    return render(
        request, "initiatives/initiative_detail.html", _detail_context(request, initiative)
    )


def _form_page(request, form, *, title, cancel_url, conflict=None, status=200):
    return render(
        request,
        "initiatives/initiative_form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "conflict": conflict},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create(request, region_pk):
    if not selectors.may_list_initiatives(request.user):
        raise Http404
    region = region_selectors.get_region_for_user(request.user, region_pk, write=True)
    initial = {}
    if request.GET.get("voorbeeld"):
        initial = selectors.example_initial(request.GET["voorbeeld"])
    form = InitiativeForm(
        request.POST if request.method == "POST" else None, region=region, initial=initial
    )
    if form.is_valid():
        initiative = services.create_initiative(form=form, region=region, user=request.user)
        messages.success(request, _("Initiatief vastgelegd: %(name)s.") % {"name": initiative})
        return redirect(initiative)
    return _form_page(
        request,
        form,
        title=_("Nieuw initiatief in %(region)s") % {"region": region},
        cancel_url=reverse("initiatives:initiative_list"),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request, pk):
    initiative = selectors.get_initiative_for_user(request.user, pk, write=True)
    form = InitiativeForm(
        request.POST if request.method == "POST" else None,
        instance=initiative,
        region=initiative.region,
    )
    conflict = None
    if form.is_valid():
        try:
            save_if_current(form.save(commit=False), form.cleaned_data["version"])
        except ConflictError as exc:
            conflict = {"message": str(exc), "current": current_values(form, exc.current)}
            rebase(form, exc.current)
        else:
            form.save_m2m()
            messages.success(request, _("Initiatief opgeslagen: %(name)s.") % {"name": initiative})
            return redirect(initiative)
    return _form_page(
        request,
        form,
        title=_("%(name)s bewerken") % {"name": initiative.name},
        cancel_url=initiative.get_absolute_url(),
        conflict=conflict,
        status=409 if conflict else (400 if form.errors else 200),
    )


def _section_answer(request, initiative, section, *, saved, form_key, form, page_title):
    """After a partner or status form: with htmx the section again (errors or the fresh
    form, and the message for the page's status region); without htmx back to the page,
    or the form on its own page when it has errors."""
    if request.htmx:
        context = _detail_context(
            request, initiative, live_message=saved or "", focus=True, **{form_key: form}
        )
        if saved:
            context[form_key] = type(form)(initiative=initiative)
        return render(request, f"initiatives/initiative_detail.html#{section}", context)
    if saved:
        messages.success(request, saved)
        return redirect(f"{initiative.get_absolute_url()}#{section}")
    return _form_page(
        request,
        form,
        title=page_title,
        cancel_url=f"{initiative.get_absolute_url()}#{section}",
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def partner_add(request, initiative_pk):
    initiative = selectors.get_initiative_for_user(request.user, initiative_pk, write=True)
    form = PartnerForm(request.POST if request.method == "POST" else None, initiative=initiative)
    saved = ""
    if form.is_valid():
        partner = form.save()
        saved = _("Partner toegevoegd: %(name)s.") % {"name": partner.name}
    return _section_answer(
        request,
        initiative,
        "partners",
        saved=saved,
        form_key="partner_form",
        form=form,
        page_title=_("Partner toevoegen aan %(name)s") % {"name": initiative.name},
    )


@login_required
@require_POST
@vary_on_headers("HX-Request")
def partner_remove(request, initiative_pk, pk):
    initiative = selectors.get_initiative_for_user(request.user, initiative_pk, write=True)
    partner = get_object_or_404(InitiativePartner, pk=pk, initiative=initiative)
    name = partner.name
    partner.delete()
    saved = _("Partner verwijderd: %(name)s.") % {"name": name}
    if request.htmx:
        context = _detail_context(request, initiative, live_message=saved, focus=True)
        return render(request, "initiatives/initiative_detail.html#partners", context)
    messages.success(request, saved)
    return redirect(f"{initiative.get_absolute_url()}#partners")


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def status_move(request, pk):
    initiative = selectors.get_initiative_for_user(request.user, pk, write=True)
    form = StatusForm(request.POST if request.method == "POST" else None, initiative=initiative)
    saved = ""
    if form.is_valid():
        try:
            change = services.move_status(
                initiative=initiative,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            saved = _("Status gewijzigd in: %(status)s.") % {
                "status": change.get_to_status_display()
            }
    return _section_answer(
        request,
        initiative,
        "status",
        saved=saved,
        form_key="status_form",
        form=form,
        page_title=_("Status van %(name)s wijzigen") % {"name": initiative.name},
    )


# --- transition plans ---

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext_lazy  # noqa: E402
from django.views.decorators.http import (  # noqa: E402
    require_http_methods,
    require_POST,
    require_safe,
)
from django.views.decorators.vary import vary_on_headers  # noqa: E402

from regions.selectors import get_scope  # noqa: E402

from . import selectors as transition_selectors  # noqa: E402
from . import services as transition_services  # noqa: E402
from .forms import (  # noqa: E402
    BoardQuestionForm,
    CohortEntryForm,
    CommunicationItemForm,
    ExpectedEnrolmentForm,
    InspectieEventForm,
    MilestoneForm,
    StaffDestinationForm,
)
from .models import (  # noqa: E402
    BoardQuestion,
    CohortEntry,
    CommunicationItem,
    ExpectedEnrolment,
    InspectieEvent,
    Milestone,
    StaffDestination,
)

# The row lists of a plan, by the slug in their address: model, form and the heading.
PLAN_PARTS = {
    "leerlingen": (CohortEntry, CohortEntryForm, gettext_lazy("Cohort")),
    "aanmeldingen": (
        ExpectedEnrolment,
        ExpectedEnrolmentForm,
        gettext_lazy("Aanmeldingen die niet meer komen"),
    ),
    "mijlpalen": (Milestone, MilestoneForm, gettext_lazy("Besluitvorming")),
    "vragen": (BoardQuestion, BoardQuestionForm, gettext_lazy("Vragen van de regio")),
    "communicatie": (CommunicationItem, CommunicationItemForm, gettext_lazy("Communicatieplan")),
    "personeel": (StaffDestination, StaffDestinationForm, gettext_lazy("Personeel")),
    "inspectie": (InspectieEvent, InspectieEventForm, gettext_lazy("Inspectie")),
}


@login_required
@require_safe
def transition_list(request):
    if not get_scope(request.user).readable_regions:
        raise Http404
    scope = get_scope(request.user)
    return render(
        request,
        "initiatives/transition_list.html",
        {
            "locations": transition_selectors.transition_list(request.user),
            "editable_regions": scope.coordinator_regions,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def transition_create(request, location_pk):
    location = transition_selectors.get_closing_location_for_user(request.user, location_pk)
    existing = transition_selectors._plan_of(location)
    if existing:
        return redirect(existing)
    error = None
    if request.method == "POST":
        try:
            plan = transition_services.create_transition_plan(location=location)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("Transitieplan gemaakt voor %(name)s.") % {"name": location.name}
            )
            return redirect(plan)
    return render(
        request,
        "initiatives/transition_create.html",
        {"location": location, "error": error},
        status=400 if error else 200,
    )


def _plan_context(request, plan, **extra):
    """Everything the plan page shows; writes the access log for the pupil codes on it."""
    user = request.user
    today = timezone.localdate()
    cohort = transition_selectors.cohort_for(user, plan)
    transition_services.log_cohort_shown(user=user, pupils=cohort.rows, plan=plan)
    can_edit = get_scope(user).can_edit_region(plan.region_id)
    return {
        "plan": plan,
        "location": plan.location,
        "today": today,
        "months_left": plan.months_left(today),
        "can_edit": can_edit,
        "cohort": cohort,
        "late": transition_selectors.late_transition_items(
            plan.region, today, user=user, plans=[plan]
        ),
        "enrolments": list(plan.enrolments.all()),
        "milestones": list(plan.milestones.all()),
        "questions": list(plan.questions.all()),
        "communication": list(plan.communication.select_related("not_before")),
        "staff": list(plan.staff.all()),
        "inspectie": list(plan.inspectie.all()),
        "parts": {slug: title for slug, (_m, _f, title) in PLAN_PARTS.items()},
        **extra,
    }


@login_required
@require_safe
def transition_detail(request, pk):
    plan = transition_selectors.get_transition_plan_for_user(request.user, pk)
    return render(request, "initiatives/transition_detail.html", _plan_context(request, plan))


def _part(kind):
    try:
        return PLAN_PARTS[kind]
    except KeyError:
        raise Http404 from None


def _part_form(request, plan, kind, instance=None):
    model, form_class, _title = PLAN_PARTS[kind]
    kwargs = {"plan": plan, "instance": instance, "prefix": kind}
    if kind == "leerlingen":
        kwargs["pupils"] = transition_selectors.cohort_pupils(plan)
    initial = {}
    if kind == "leerlingen" and instance is None and request.GET.get("leerling"):
        code = request.GET["leerling"]
        match = kwargs["pupils"].filter(code=code).first()
        initial["pupil"] = match.pk if match else None
    return form_class(request.POST or None, initial=initial, **kwargs)


def _plan_section_answer(request, plan, kind, *, form=None, obj=None, saved="", status=200):
    """htmx: the section again (with its form open while there is one); otherwise the
    plan page after a save, or the form page."""
    if request.htmx:
        context = _plan_context(
            request,
            plan,
            open_kind=kind if form is not None else None,
            form=form,
            obj=obj,
            focus=bool(saved),
            live_message=saved,
        )
        return render(request, f"initiatives/transition_detail.html#section-{kind}", context)
    if form is None:
        messages.success(request, saved)
        return redirect(f"{plan.get_absolute_url()}#{kind}")
    title = PLAN_PARTS[kind][2]
    return render(
        request,
        "initiatives/transition_row_form.html",
        {
            "plan": plan,
            "form": form,
            "kind": kind,
            "obj": obj,
            "title": f"{title} · {plan.location.name}",
            "cancel_url": f"{plan.get_absolute_url()}#{kind}",
        },
        status=status,
    )


def _save_part(request, plan, kind, form, obj=None):
    """Save a valid form (refusing a stale one); the answer to the POST."""
    try:
        row = form.save(commit=False)
        row.plan = plan
        if obj is None:
            row.save()
        else:
            save_if_current(row, form.cleaned_data["version"])
    except ConflictError as exc:
        form.add_error(None, str(exc))
        return _plan_section_answer(request, plan, kind, form=form, obj=obj, status=409)
    return _plan_section_answer(request, plan, kind, saved=_("Opgeslagen: %(row)s.") % {"row": row})


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def transition_row_create(request, plan_pk, kind):
    plan = transition_selectors.get_transition_plan_for_user(request.user, plan_pk, write=True)
    _part(kind)
    form = _part_form(request, plan, kind)
    if request.method == "POST" and form.is_valid():
        return _save_part(request, plan, kind, form)
    status = 400 if request.method == "POST" else 200
    return _plan_section_answer(request, plan, kind, form=form, status=status)


def _row(plan, kind, pk):
    model = _part(kind)[0]
    try:
        return model.objects.get(plan=plan, pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def transition_row_edit(request, plan_pk, kind, pk):
    plan = transition_selectors.get_transition_plan_for_user(request.user, plan_pk, write=True)
    obj = _row(plan, kind, pk)
    form = _part_form(request, plan, kind, instance=obj)
    if request.method == "POST" and form.is_valid():
        return _save_part(request, plan, kind, form, obj=obj)
    status = 400 if request.method == "POST" else 200
    return _plan_section_answer(request, plan, kind, form=form, obj=obj, status=status)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def transition_row_delete(request, plan_pk, kind, pk):
    plan = transition_selectors.get_transition_plan_for_user(request.user, plan_pk, write=True)
    obj = _row(plan, kind, pk)
    label = str(obj)
    obj.delete()
    return _plan_section_answer(
        request, plan, kind, saved=_("Verwijderd: %(row)s.") % {"row": label}
    )
