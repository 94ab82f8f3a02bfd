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
