"""Initiatives, agreements and transition plans of closing (v)so locations."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from regions import selectors as region_selectors
from regions.models import Region
from regions.numbers import plain_int
from regions.pages import edit_in_place, list_page, read_page
from regions.selectors import get_region_for_user, get_scope
from regions.versioning import ConflictError, current_values, rebase, save_if_current
from toolkit.models import RegionAction

from . import compare, selectors, services
from . import selectors as transition_selectors
from . import services as transition_services
from .forms import (
    ActionInitiativesForm,
    AgreementCreateForm,
    AgreementFilterForm,
    AgreementForm,
    AgreementPartyForm,
    AgreementVersionForm,
    BoardQuestionForm,
    CohortEntryForm,
    CommunicationItemForm,
    ConsentForm,
    ExpectedEnrolmentForm,
    InitiativeFilterForm,
    InitiativeForm,
    InspectieEventForm,
    MilestoneForm,
    PartnerForm,
    StaffDestinationForm,
    StatusForm,
)
from .models import (
    Agreement,
    AgreementParty,
    AgreementVersion,
    InitiativePartner,
)

# --- htmx answers -----------------------------------------------------------------------

NOT_SAVED = gettext_lazy("Niet opgeslagen: zie de meldingen bij het formulier.")


def _htmx_answer(request, template, section, context, *, saved="", form=None, also=()):
    """The answer to every htmx form request on these pages: the swapped section, the
    other parts of the page it changed (`also`, out of band) and always the page's status
    region, so no earlier message stays beside a new one: the message after a save,
    NOT_SAVED when the form came back with errors, empty when a form just opened."""
    if saved:
        message = saved
    elif form is not None and form.is_bound and form.errors:
        message = NOT_SAVED
    else:
        message = ""
    parts = [render_to_string(f"{template}#{section}", context, request)]
    parts += [
        render_to_string(f"{template}#{name}", {**context, "oob": True}, request) for name in also
    ]
    parts.append(
        render_to_string("toolkit/_live_status.html", {"oob": True, "live_message": message})
    )
    return HttpResponse("".join(parts))


# Parts of the initiative page that a partner or status change makes out of date.
INITIATIVE_OOB = ("header-status", "pupils", "history")


# --- initiatives ----------------------------------------------------------------------

PAGE_SIZE = 25


def for_initiative_readers(view):
    """404 for users with no initiatives or agreements to read (the functional admin:
    this is regional work)."""

    @wraps(view)
    def page(request, *args, **kwargs):
        if not selectors.may_list_initiatives(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return page


def initiatives_list_page(view):
    """A list page: GET only, the whole page or (for htmx) its results."""
    return read_page(for_initiative_readers(view))


@initiatives_list_page
def initiative_list(request):
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


def _form_page(
    request, form, *, title, cancel_url, template="initiative_form", conflict=None, **extra
):
    """A form on a page of its own (the plain fallback of every in-place form here):
    409 after a conflict, 400 with errors."""
    context = {"form": form, "title": title, "cancel_url": cancel_url, "conflict": conflict}
    status = 409 if conflict else (400 if form.errors else 200)
    return render(request, f"initiatives/{template}.html", {**context, **extra}, status=status)


def _conflict(form, exc):
    """A stale edit: what a colleague saved meanwhile; saving again replaces it."""
    rebase(form, exc.current)
    return {"message": str(exc), "current": current_values(form, exc.current)}


@login_required
@require_http_methods(["GET", "POST"])
@for_initiative_readers
def initiative_create(request, region_pk):
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
            conflict = _conflict(form, exc)
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
    )


def _section_form(request, pk, form_class):
    """The initiative (to write) and a form of one of its sections, bound on POST."""
    initiative = selectors.get_initiative_for_user(request.user, pk, write=True)
    data = request.POST if request.method == "POST" else None
    return initiative, form_class(data, initiative=initiative)


def _section_answer(request, initiative, section, *, saved, form_key, form, page_title):
    """After a partner or status form: with htmx the section again (errors or the fresh
    form, and the message for the page's status region); without htmx back to the page,
    or the form on its own page when it has errors."""
    if request.htmx:
        context = _detail_context(request, initiative, focus=True, **{form_key: form})
        if saved:
            context[form_key] = type(form)(initiative=initiative)
        return _htmx_answer(
            request,
            "initiatives/initiative_detail.html",
            section,
            context,
            saved=saved,
            form=form,
            also=INITIATIVE_OOB,
        )
    if saved:
        messages.success(request, saved)
        return redirect(f"{initiative.get_absolute_url()}#{section}")
    return _form_page(
        request,
        form,
        title=page_title,
        cancel_url=f"{initiative.get_absolute_url()}#{section}",
    )


@edit_in_place
def partner_add(request, initiative_pk):
    initiative, form = _section_form(request, initiative_pk, PartnerForm)
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
        context = _detail_context(request, initiative, focus=True)
        return _htmx_answer(
            request,
            "initiatives/initiative_detail.html",
            "partners",
            context,
            saved=saved,
            also=INITIATIVE_OOB,
        )
    messages.success(request, saved)
    return redirect(f"{initiative.get_absolute_url()}#partners")


@edit_in_place
def status_move(request, pk):
    initiative, form = _section_form(request, pk, StatusForm)
    saved = ""
    if form.is_valid():
        try:
            change = services.move_status(
                initiative=initiative, user=request.user, **form.cleaned_data
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


# The row lists of a plan, by the slug in their address: form (its Meta.model is the
# row's model) and the heading.
PLAN_PARTS = {
    "leerlingen": (CohortEntryForm, gettext_lazy("Cohort")),
    "aanmeldingen": (ExpectedEnrolmentForm, gettext_lazy("Aanmeldingen die niet meer komen")),
    "mijlpalen": (MilestoneForm, gettext_lazy("Besluitvorming")),
    "vragen": (BoardQuestionForm, gettext_lazy("Vragen van de regio")),
    "communicatie": (CommunicationItemForm, gettext_lazy("Communicatieplan")),
    "personeel": (StaffDestinationForm, gettext_lazy("Personeel")),
    "inspectie": (InspectieEventForm, gettext_lazy("Inspectie")),
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
        "parts": {slug: title for slug, (_f, title) in PLAN_PARTS.items()},
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
    form_class, _title = PLAN_PARTS[kind]
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
        )
        return _htmx_answer(
            request,
            "initiatives/transition_detail.html",
            f"section-{kind}",
            context,
            saved=saved,
            form=form,
        )
    if form is None:
        messages.success(request, saved)
        return redirect(f"{plan.get_absolute_url()}#{kind}")
    title = PLAN_PARTS[kind][1]
    if kind == "leerlingen":
        # The pupil select names every cohort pupil by code (the htmx answer logs them
        # through _plan_context).
        transition_services.log_cohort_shown(
            user=request.user, pupils=form.fields["pupil"].queryset, plan=plan
        )
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


@edit_in_place
def transition_row_create(request, plan_pk, kind):
    plan = transition_selectors.get_transition_plan_for_user(request.user, plan_pk, write=True)
    _part(kind)
    form = _part_form(request, plan, kind)
    if request.method == "POST" and form.is_valid():
        return _save_part(request, plan, kind, form)
    status = 400 if request.method == "POST" else 200
    return _plan_section_answer(request, plan, kind, form=form, status=status)


def _row(plan, kind, pk):
    model = _part(kind)[0]._meta.model
    try:
        return model.objects.get(plan=plan, pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@edit_in_place
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


# --- agreements ------------------------------------------------------------------------


@initiatives_list_page
def agreement_list(request):
    visible = selectors.agreements_for(request.user)
    regions = Region.objects.filter(pk__in=visible.values("region_id")).order_by("name")
    form = AgreementFilterForm(request.GET or None, regions=regions)
    rows = selectors.agreement_rows(form.filter(visible))
    page = Paginator(rows.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    for agreement in page:
        agreement.attention = agreement.attention_reasons(today)
    query = request.GET.copy()
    query.pop("page", None)
    scope = get_scope(request.user)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "attention_only": form.is_valid() and form.cleaned_data["aandacht"],
        "create_regions": Region.objects.filter(pk__in=scope.coordinator_regions).order_by("name"),
    }
    return list_page(request, "initiatives/agreement_list.html", context)


@login_required
@require_safe
def agreement_detail(request, pk):
    agreement = selectors.get_agreement_for_user(request.user, pk)
    versions = selectors.agreement_versions(agreement)
    context = {
        "agreement": agreement,
        "can_edit": get_scope(request.user).can_edit_region(agreement.region_id),
        "parties": selectors.agreement_parties(agreement),
        "versions": versions,
        "current": versions[-1] if versions else None,
        "attention": agreement.attention_reasons(timezone.localdate()),
        "history": selectors.agreement_history(agreement),
    }
    return render(request, "initiatives/agreement_detail.html", context)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def region_attention(request, pk):
    """The region page's "needs attention" fragment (loaded with htmx, or as a page):
    agreements, late transition-plan items and initiatives under their minimum."""
    region = get_region_for_user(request.user, pk)
    attention = selectors.region_attention(region, request.user)
    transition_services.log_attention_shown(user=request.user, attentions=[attention])
    template = "_attention" if request.htmx else "region_attention"
    return render(request, f"initiatives/{template}.html", {"attention": attention})


@login_required
@require_http_methods(["GET", "POST"])
@for_initiative_readers
def agreement_create(request, region_pk):
    region = get_region_for_user(request.user, region_pk, write=True)
    form = AgreementCreateForm(request.POST or None, instance=Agreement(region=region))
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.create_agreement(
                agreement=form.instance,
                text=form.cleaned_data["text"],
                conditions=form.cleaned_data["conditions"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Afspraak vastgelegd als versie 1. Voeg de partijen toe."))
            return redirect(agreement)
    title = _("Nieuwe afspraak in %(region)s") % {"region": region.name}
    return _form_page(
        request,
        form,
        template="agreement_form",
        title=title,
        cancel_url=reverse("initiatives:agreement_list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk):
    agreement = selectors.get_agreement_for_user(request.user, pk, write=True)
    form = AgreementForm(request.POST or None, instance=agreement)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agreement(form.instance, form.cleaned_data["version"])
        except ConflictError as exc:
            conflict = _conflict(form, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Afspraak opgeslagen."))
            return redirect(agreement)
    return _form_page(
        request,
        form,
        template="agreement_form",
        title=_("Afspraak bewerken: %(title)s") % {"title": agreement.title},
        cancel_url=agreement.get_absolute_url(),
        conflict=conflict,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_version_create(request, agreement_pk):
    agreement = selectors.get_agreement_for_user(request.user, agreement_pk, write=True)
    latest = agreement.versions.order_by("-number").first()
    parties = agreement.parties.select_related(*selectors.PARTY_RELATED)
    initial = {
        "text": latest.text if latest else "",
        "conditions": latest.conditions if latest else "",
        "based_on": latest.number if latest else None,
        "agreed_on": timezone.localdate(),
    }
    form = AgreementVersionForm(request.POST or None, initial=initial, parties=parties)
    title = _("Nieuwe versie: %(title)s") % {"title": agreement.title}
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The form's fields are the service's keyword arguments.
            version = services.add_version(agreement=agreement, user=request.user, **data)
        except services.VersionConflict as exc:
            # Saving again deliberately makes a version after the colleague's one.
            posted = form.data.copy()
            posted["based_on"] = exc.current.number
            form.data = posted
            conflict = {
                "message": str(exc),
                "current": [
                    (
                        _("Tekst van versie %(n)s") % {"n": exc.current.number},
                        exc.current.text,
                        exc.current.text != data["text"],
                    ),
                    (
                        _("Voorwaarden"),
                        exc.current.conditions or "–",
                        exc.current.conditions != data["conditions"],
                    ),
                ],
            }
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Versie %(n)s vastgelegd.") % {"n": version.number})
            return redirect(agreement.get_absolute_url() + f"#versie-{version.number}")
    return _form_page(
        request,
        form,
        template="agreement_form",
        title=title,
        cancel_url=agreement.get_absolute_url(),
        conflict=conflict,
        intro=_(
            "Een gewijzigde tekst of gewijzigde voorwaarden worden een nieuwe, genummerde "
            "versie. Eerdere versies blijven zoals ze zijn."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_consent(request, agreement_pk, pk):
    agreement = selectors.get_agreement_for_user(request.user, agreement_pk, write=True)
    version = get_object_or_404(AgreementVersion, pk=pk, agreement=agreement)
    parties = agreement.parties.select_related(*selectors.PARTY_RELATED).exclude(
        consents__version=version
    )
    form = ConsentForm(
        request.POST or None,
        parties=parties,
        version=version,
        initial={"agreed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        added = services.record_consent(
            version=version,
            parties=form.cleaned_data["parties"],
            agreed_on=form.cleaned_data["agreed_on"],
        )
        messages.success(
            request,
            _("Instemming met versie %(n)s vastgelegd (%(count)s partijen).")
            % {"n": version.number, "count": added},
        )
        return redirect(agreement.get_absolute_url() + f"#versie-{version.number}")
    return _form_page(
        request,
        form,
        template="agreement_form",
        title=_("Instemming met versie %(n)s: %(title)s")
        % {"n": version.number, "title": agreement.title},
        cancel_url=agreement.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_party_add(request, agreement_pk):
    agreement = selectors.get_agreement_for_user(request.user, agreement_pk, write=True)
    form = AgreementPartyForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        party = form.save()
        messages.success(request, _("Partij toegevoegd: %(name)s.") % {"name": party.name})
        return redirect(agreement.get_absolute_url() + "#partijen")
    return _form_page(
        request,
        form,
        template="agreement_form",
        title=_("Partij toevoegen: %(title)s") % {"title": agreement.title},
        cancel_url=agreement.get_absolute_url(),
    )


@login_required
@require_POST
def agreement_party_delete(request, agreement_pk, pk):
    agreement = selectors.get_agreement_for_user(request.user, agreement_pk, write=True)
    party = get_object_or_404(AgreementParty, pk=pk, agreement=agreement)
    try:
        services.remove_party(party)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Partij verwijderd: %(name)s.") % {"name": party.name})
    return redirect(agreement.get_absolute_url() + "#partijen")


@login_required
@require_safe
def agreement_compare(request, pk):
    """Two versions side by side (?van=1&naar=2; without them the last two)."""
    agreement = selectors.get_agreement_for_user(request.user, pk)
    versions = list(agreement.versions.select_related("recorded_by").order_by("number"))
    by_number = {v.number: v for v in versions}
    error, status = None, 200
    old = new = None
    raw = (request.GET.get("van"), request.GET.get("naar"))
    if raw == (None, None):
        if len(versions) >= 2:
            old, new = versions[-2], versions[-1]
    else:
        # Looked up in memory, not in the database: a long number is "no such version".
        numbers = [plain_int(n, max_digits=100) for n in raw]
        missing = [n for n in numbers if n is not None and n not in by_number]
        if None in numbers:
            error, status = _("Kies twee versies om te vergelijken, met hun nummer."), 400
        elif missing:
            error, status = _("Deze afspraak heeft geen versie %(n)s.") % {"n": missing[0]}, 404
        else:
            old, new = by_number[numbers[0]], by_number[numbers[1]]
    if old and new and old.number > new.number:
        old, new = new, old  # the older version always on the left, whatever the order asked
    labels = {
        "text": AgreementVersion._meta.get_field("text").verbose_name,
        "conditions": AgreementVersion._meta.get_field("conditions").verbose_name,
    }
    context = {
        "agreement": agreement,
        "versions": versions,
        "old": old,
        "new": new,
        "error": error,
        "fields": compare.compare_versions(old, new, labels) if old and new else [],
    }
    return render(request, "initiatives/agreement_compare.html", context, status=status)


# --- werkagenda actions ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def action_initiatives(request, region_pk, pk):
    """The region's coordinator links initiatives to a werkagenda action (the action's
    side of the initiative form's "acties van de werkagenda"); readers 403."""
    region = get_region_for_user(request.user, region_pk, write=True)
    action = get_object_or_404(RegionAction.objects.select_related("line"), pk=pk, region=region)
    # Bound on every POST: no box ticked is a choice too (unlink them all).
    form = ActionInitiativesForm(request.POST if request.method == "POST" else None, action=action)
    back = reverse("toolkit:werkagenda", args=[region.pk]) + f"#actie-{action.pk}"
    if request.method == "POST" and form.is_valid():
        services.link_action_initiatives(
            action=action, initiatives=form.cleaned_data["initiatives"]
        )
        messages.success(
            request, _("Gekoppelde initiatieven opgeslagen: %(title)s.") % {"title": action.title}
        )
        return redirect(back)
    return _form_page(
        request,
        form,
        template="action_initiatives",
        title=_("Initiatieven bij de actie: %(title)s") % {"title": action.title},
        action=action,
        region=region,
        cancel_url=back,
        intro=_(
            "Vink de initiatieven van %(region)s aan die bij deze actie horen. Het initiatief "
            "toont de actie dan ook."
        )
        % {"region": region.name},
    )
