"""Initiatives, agreements and transition plans of closing (v)so locations."""


# --- agreements ------------------------------------------------------------------------

from django.contrib import messages  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.shortcuts import get_object_or_404, redirect, render  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.views.decorators.http import (  # noqa: E402
    require_http_methods,
    require_POST,
    require_safe,
)
from django.views.decorators.vary import vary_on_headers  # noqa: E402

from regions.models import Region  # noqa: E402
from regions.pages import list_page  # noqa: E402
from regions.selectors import get_region_for_user, get_scope  # noqa: E402
from regions.versioning import ConflictError, current_values, rebase  # noqa: E402

from . import compare, selectors, services  # noqa: E402
from .forms import (  # noqa: E402
    AgreementCreateForm,
    AgreementFilterForm,
    AgreementForm,
    AgreementPartyForm,
    AgreementVersionForm,
    ConsentForm,
)
from .models import Agreement, AgreementParty, AgreementVersion  # noqa: E402

AGREEMENTS_PER_PAGE = 25


@login_required
@require_safe
@vary_on_headers("HX-Request")
def agreement_list(request):
    visible = selectors.agreements_for(request.user)
    regions = Region.objects.filter(pk__in=visible.values("region_id")).order_by("name")
    form = AgreementFilterForm(request.GET or None, regions=regions)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.agreement_rows(selectors.filter_agreements(visible, filters))
    page = Paginator(rows.order_by("-updated_at", "-pk"), AGREEMENTS_PER_PAGE).get_page(
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
        "attention_only": bool(filters.get("aandacht")),
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
def agreement_attention(request, pk):
    """The region page's "needs attention" fragment (loaded with htmx, or as a page)."""
    region = get_region_for_user(request.user, pk)
    context = {"region": region, "items": selectors.agreements_needing_attention(region)}
    return render(request, "initiatives/agreement_attention.html", context)


def _form_page(request, form, *, title, cancel_url, status=200, conflict=None, intro=None):
    return render(
        request,
        "initiatives/agreement_form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "conflict": conflict,
            "intro": intro,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
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
        title=title,
        cancel_url=reverse("initiatives:agreement_list"),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk):
    agreement = selectors.get_agreement_for_user(request.user, pk, write=True)
    form = AgreementForm(request.POST or None, instance=agreement)
    title = _("Afspraak bewerken: %(title)s") % {"title": agreement.title}
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agreement(form.instance, form.cleaned_data["version"])
        except ConflictError as conflict:
            rebase(form, conflict.current)
            context = {"message": str(conflict), "current": current_values(form, conflict.current)}
            return _form_page(
                request,
                form,
                title=title,
                cancel_url=agreement.get_absolute_url(),
                status=409,
                conflict=context,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Afspraak opgeslagen."))
            return redirect(agreement)
    return _form_page(
        request,
        form,
        title=title,
        cancel_url=agreement.get_absolute_url(),
        status=400 if form.errors else 200,
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
            version = services.add_version(
                agreement=agreement,
                based_on=data["based_on"],
                text=data["text"],
                conditions=data["conditions"],
                note=data["note"],
                agreed_by=data["agreed_by"],
                agreed_on=data["agreed_on"],
                user=request.user,
            )
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
    if conflict:
        status = 409
    else:
        status = 400 if form.errors else 200
    return _form_page(
        request,
        form,
        title=title,
        cancel_url=agreement.get_absolute_url(),
        status=status,
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
        request.POST or None, parties=parties, initial={"agreed_on": timezone.localdate()}
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
        title=_("Instemming met versie %(n)s: %(title)s")
        % {"n": version.number, "title": agreement.title},
        cancel_url=agreement.get_absolute_url(),
        status=400 if form.errors else 200,
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
        title=_("Partij toevoegen: %(title)s") % {"title": agreement.title},
        cancel_url=agreement.get_absolute_url(),
        status=400 if form.errors else 200,
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
        numbers = [int(n) if (n or "").strip().isdigit() else None for n in raw]
        missing = [n for n in numbers if n is not None and n not in by_number]
        if None in numbers:
            error, status = _("Kies twee versies om te vergelijken, met hun nummer."), 400
        elif missing:
            error, status = _("Deze afspraak heeft geen versie %(n)s.") % {"n": missing[0]}, 404
        else:
            old, new = by_number[numbers[0]], by_number[numbers[1]]
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
