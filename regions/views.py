from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from . import selectors
from .forms import (
    ContactForm,
    GemeenteForm,
    ImportForm,
    LocationForm,
    RegionFilterForm,
    RegionForm,
    SchoolFilterForm,
    SchoolForm,
    SuitabilityForm,
    SwvFilterForm,
    SwvForm,
)
from .imports import import_page, job_status
from .models import Level, Location, SchoolContact
from .pages import (
    conflict_context,
    edit_in_place,
    form_page,
    list_page,
    partner_to_edit,
    save_if_current_form,
    scope_allows,
)
from .resources import DUO_IMPORT
from .services import approve_role, reject_role
from .versioning import ConflictError

PAGE_SIZE = 25


@login_required
@require_safe
@scope_allows("may_list_partners")
def region_list(request):
    form = RegionFilterForm(request.GET or None)
    regions = form.filter(selectors.regions_for(request.user)).annotate(
        n_swvs=Count("swvs", distinct=True), n_gemeenten=Count("gemeenten", distinct=True)
    )
    return render(request, "regions/region_list.html", {"regions": regions, "form": form})


@login_required
@require_safe
def region_detail(request, pk):
    region = selectors.get_region_for_user(request.user, pk)
    scope = selectors.get_scope(request.user)
    schools = selectors.schools_in_region(region).filter(is_partner=True).order_by("name")
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "can_edit": scope.can_edit_region(region.pk),
            "swvs": region.swvs.all(),
            "gemeenten": region.gemeenten.all(),
            "locations": region.locations.select_related("institution"),
            # A region can hold hundreds of partner schools: paged, like the school list.
            "partner_schools": Paginator(schools, PAGE_SIZE * 2).get_page(request.GET.get("page")),
            "n_schools": selectors.schools_in_region(region).count(),
            "show_role_changes": scope.can_see_role_changes(region.pk),
            "role_changes": selectors.role_changes(request.user, region),
            "pending_roles": selectors.pending_roles(request.user, region),
            "roles_with_access": selectors.roles_with_access(request.user, region),
        },
    )


@login_required
@require_POST
def role_decision(request, region_pk, pk):
    """A coordinator approves or rejects a pending role that reaches his region (four
    eyes: never his own role, never his own grant)."""
    region = selectors.get_region_for_user(request.user, region_pk)
    assignment = selectors.get_pending_role_for_user(request.user, region, pk)
    decision = request.POST.get("decision")
    params = {
        "user": assignment.user.get_full_name() or assignment.user.get_username(),
        "role": assignment.get_role_display(),
    }
    if decision == "approve":
        approve_role(assignment, by=request.user)
        messages.success(request, _("De rol %(role)s van %(user)s is goedgekeurd.") % params)
    elif decision == "reject":
        reject_role(assignment, by=request.user)
        messages.success(request, _("De rol %(role)s van %(user)s is afgewezen.") % params)
    else:
        return HttpResponseBadRequest(_("Kies goedkeuren of afwijzen."))
    return redirect(region.get_absolute_url() + "#h-roles")


@login_required
@require_http_methods(["GET", "POST"])
def region_edit(request, pk):
    region = selectors.get_region_for_user(request.user, pk, write=True)
    form = RegionForm(request.POST or None, instance=region)
    # Coordinators link partners they can already see; the admin links any in Django admin.
    form.fields["swvs"].queryset = selectors.swvs_for(request.user) | region.swvs.all()
    form.fields["gemeenten"].queryset = (
        selectors.gemeenten_for(request.user) | region.gemeenten.all()
    )
    return form_page(
        request,
        form,
        title=_("%(name)s bewerken") % {"name": region.name},
        cancel_url=region.get_absolute_url(),
        saved=_("Regio opgeslagen."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def location_edit(request, region_pk, pk=None):
    region = selectors.get_region_for_user(request.user, region_pk, write=True)
    location = get_object_or_404(Location, pk=pk, region=region) if pk else None
    form = LocationForm(request.POST or None, instance=location)

    def save(form):
        location = form.save(commit=False)
        location.region = region
        location.institution = region.institution
        location.save()
        return location

    return form_page(
        request,
        form,
        title=_("Locatie bewerken") if location else _("Nieuwe locatie"),
        cancel_url=region.get_absolute_url(),
        saved=_("Locatie opgeslagen."),
        then=region,
        save=save,
    )


@login_required
@require_safe
@vary_on_headers("HX-Request")
@scope_allows("may_list_schools")
def school_list(request):
    levels = list(Level.objects.all())
    form = SchoolFilterForm(request.GET or None, user=request.user, levels=levels)
    schools = form.filter(selectors.schools_for(request.user)).prefetch_related("levels")
    page = Paginator(schools.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_create": selectors.get_scope(request.user).can_import,
    }
    return list_page(request, "regions/school_list.html", context)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def school_detail(request, pk):
    school = selectors.get_school_for_user(request.user, pk)
    return render(
        request,
        "regions/school_detail.html",
        {
            "school": school,
            "can_edit": selectors.get_scope(request.user).can_edit_school(school),
            "contacts": school.contacts.all(),
            "levels": school.levels.all(),
            "contact_form": ContactForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def school_edit(request, pk=None):
    school = partner_to_edit(request, selectors.get_school_for_user, pk)
    return form_page(
        request,
        SchoolForm(request.POST or None, instance=school, user=request.user),
        title=_("School bewerken") if school else _("Nieuwe school"),
        cancel_url=school.get_absolute_url() if school else reverse("regions:school_list"),
        saved=_("School opgeslagen."),
    )


@edit_in_place
def school_suitability(request, pk):
    """Inline edit of the building's suitability (htmx), with a plain-form fallback."""
    write = request.method == "POST" or request.GET.get("bewerken") == "1"
    school = selectors.get_school_for_user(request.user, pk, write=write)
    form = SuitabilityForm(request.POST or None, instance=school)
    editing = request.GET.get("bewerken") == "1"
    conflict = None
    if request.method == "POST":
        editing = True
        if form.is_valid():
            try:
                with transaction.atomic():
                    save_if_current_form(form)
                    form.save()
            except ConflictError as exc:
                conflict = conflict_context(form, exc)
            else:
                editing = False
                if not request.htmx:
                    messages.success(request, _("Geschiktheid van het gebouw opgeslagen."))
                    return redirect(school)
    context = {
        "school": school,
        "form": form,
        "editing": editing,
        "conflict": conflict,
        "can_edit": selectors.get_scope(request.user).can_edit_school(school),
    }
    status = 409 if conflict else 200
    if request.htmx:
        return render(request, "regions/school_detail.html#suitability", context, status=status)
    return render(request, "regions/school_suitability.html", context, status=status)


@login_required
@require_POST
def contact_add(request, school_pk):
    school = selectors.get_school_for_user(request.user, school_pk, write=True)
    form = ContactForm(request.POST)
    if form.is_valid():
        contact = form.save(commit=False)
        contact.school = school
        contact.save()
        messages.success(request, _("Contactpersoon toegevoegd."))
        return redirect(school)
    return render(
        request,
        "regions/school_detail.html",
        {
            "school": school,
            "can_edit": True,
            "contacts": school.contacts.all(),
            "levels": school.levels.all(),
            "contact_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def contact_delete(request, school_pk, pk):
    school = selectors.get_school_for_user(request.user, school_pk, write=True)
    get_object_or_404(SchoolContact, pk=pk, school=school).delete()
    messages.success(request, _("Contactpersoon verwijderd."))
    return redirect(school)


@login_required
@require_safe
@scope_allows("may_list_partners")
def swv_list(request):
    form = SwvFilterForm(request.GET or None)
    swvs = form.filter(selectors.swvs_for(request.user)).annotate(n_schools=Count("schools"))
    return render(request, "regions/swv_list.html", {"swvs": swvs, "form": form})


@login_required
@require_safe
def swv_detail(request, pk):
    swv = selectors.get_swv_for_user(request.user, pk)
    schools = selectors.schools_for(request.user).filter(swv=swv).order_by("name")
    regions = selectors.regions_for(request.user).filter(swvs=swv)
    return render(
        request,
        "regions/swv_detail.html",
        {
            "swv": swv,
            "schools": schools[:100],
            "n_schools": schools.count(),
            "regions": regions,
            "can_edit": selectors.get_scope(request.user).can_edit_swv(swv),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def swv_edit(request, pk=None):
    swv = partner_to_edit(request, selectors.get_swv_for_user, pk)
    return form_page(
        request,
        SwvForm(request.POST or None, instance=swv),
        title=_("Samenwerkingsverband bewerken") if swv else _("Nieuw samenwerkingsverband"),
        cancel_url=swv.get_absolute_url() if swv else reverse("regions:swv_list"),
        saved=_("Samenwerkingsverband opgeslagen."),
    )


@login_required
@require_safe
@scope_allows("may_list_partners")
def gemeente_list(request):
    gemeenten = selectors.gemeenten_for(request.user).prefetch_related(
        Prefetch("regions", queryset=selectors.regions_for(request.user))
    )
    return render(request, "regions/gemeente_list.html", {"gemeenten": gemeenten})


@login_required
@require_http_methods(["GET", "POST"])
def gemeente_edit(request, pk):
    gemeente = selectors.get_gemeente_for_user(request.user, pk, write=True)
    return form_page(
        request,
        GemeenteForm(request.POST or None, instance=gemeente),
        title=_("Gemeente %(name)s bewerken") % {"name": gemeente.name},
        cancel_url=reverse("regions:gemeente_list"),
        saved=_("Gemeente opgeslagen."),
        then="regions:gemeente_list",
    )


@login_required
@require_http_methods(["GET", "POST"])
def duo_import(request):
    """Step 1: upload and preview. Step 2 (POST with confirm): write, all or nothing."""
    scope = selectors.get_scope(request.user)
    if not scope.can_import:
        raise PermissionDenied

    def region_of(pk):
        # The functional admin may import for the whole country (no region).
        if pk or not scope.is_beheerder:
            return selectors.get_region_for_user(request.user, pk, write=True)
        return None

    return import_page(
        request,
        pipeline=DUO_IMPORT,
        form=ImportForm(request.POST or None, request.FILES or None, user=request.user),
        session_key="duo_import",
        template="regions/import.html",
        region_of=region_of,
        context={"title": _("DUO-bestanden importeren")},
    )


@login_required
@require_safe
def import_job(request, pk):
    """The state of one of the user's import jobs (polled by the import page)."""
    return job_status(request, pk)
