"""The regional plan page: the snapshot of today with the coordinator's texts and goals.

Who: the region's coordinator edits; its begeleiders and the institution's manager read
(every POST 403). A school leader and the functional admin get 404: they see only frozen
versions shared with them (another page). Every view goes through the scoped selectors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from regions.data_version import cached
from regions.pages import read_page
from regions.selectors import get_region_for_user, get_scope
from regions.versioning import ConflictError, lock_current, rebase

from .forms import GoalForm, OutcomeFormSet, PlanTextForm
from .models import Goal, PlanSection, PlanText, RegionalPlan
from .snapshot import build_snapshot

# The texts a coordinator writes, by the slug in their address: (field, label).
TEXT_PARTS = {
    "inleiding": ("intro", gettext_lazy("Inleiding")),
    "conclusie": ("conclusion", gettext_lazy("Conclusie")),
    "opgaven": ("pressures", gettext_lazy("Regionale opgaven")),
}


def plan_region(user, pk, *, write=False):
    """The region whose plan `user` may see: its coordinators, begeleiders and the
    institution's managers; 404 for everyone else (also the admin, who sees all regions
    but no plan), 403 on writing for a reader."""
    scope = get_scope(user)
    if not user.is_authenticated or int(pk) not in scope.readable_regions:
        raise Http404
    region = get_region_for_user(user, pk, write=write)
    return region, scope.can_edit_region(region.pk)


def plan_url(region, anchor=""):
    url = reverse("plans:plan", args=[region.pk])
    return f"{url}#{anchor}" if anchor else url


def plan_sections_html(region, snapshot, can_edit):
    """The nine sections as the page shows them (the page's largest part: 300 actions'
    rows). They hold no form and no token: the same for every reader with the same
    rights, so they are kept as the snapshot is, once for editors and once for readers."""

    def render_sections():
        context = {"region": region, "plan": snapshot, "can_edit": can_edit, "print": False}
        return "".join(
            render_to_string(f"plans/_sections.html#{part['key']}", {**context, "section": part})
            for part in snapshot["sections"]
        )

    return mark_safe(  # noqa: S308 - our own template's output, escaped when rendered
        cached("plan-sections", [region.pk], (region.pk, can_edit), render_sections)
    )


@read_page
def plan(request, pk):
    region, can_edit = plan_region(request.user, pk)
    # Gathered once per change of the region's data (or shared data), per language and
    # day; the snapshot is the same for every reader of the region.
    snapshot = cached("plan", [region.pk], (region.pk,), lambda: build_snapshot(region))
    return render(
        request,
        "plans/plan.html",
        {
            "region": region,
            "plan": snapshot,
            "sections_html": plan_sections_html(region, snapshot, can_edit),
            "can_edit": can_edit,
            "print": False,
        },
    )


def _text_object(region, section, field):
    """The row that holds the text (not saved yet when there is none)."""
    if field == "pressures":
        return RegionalPlan.objects.filter(region=region).first() or RegionalPlan(region=region)
    return PlanText.objects.filter(region=region, section=section).first() or PlanText(
        region=region, section=section
    )


def _text_target(section, part):
    return f"tekst-{section}-{part}"


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def text_edit(request, pk, section, part):
    """Edit one text in place (htmx) or on a page of its own (without JavaScript); a save
    over a colleague's newer text is refused and shows that text."""
    region, _can_edit = plan_region(request.user, pk, write=True)
    if section not in PlanSection.values or part not in TEXT_PARTS:
        raise Http404
    field, label = TEXT_PARTS[part]
    if field == "pressures" and section != PlanSection.CONTEXT:
        raise Http404
    obj = _text_object(region, section, field)
    title = PlanSection(section).label
    form = PlanTextForm(
        request.POST if request.method == "POST" else None,
        label=label,
        initial={"text": getattr(obj, field), "version": obj.version},
    )
    conflict = None
    if form.is_valid():
        try:
            _save_text(obj, field, form.cleaned_data, request.user)
        except ConflictError as exc:
            rebase(form, exc.current)
            conflict = {"message": str(exc), "current": getattr(exc.current, field)}
        else:
            saved = _("%(label)s bij '%(section)s' opgeslagen.") % {
                "label": label,
                "section": title,
            }
            if request.htmx:
                return _text_answer(request, region, section, part, getattr(obj, field), saved)
            messages.success(request, saved)
            return redirect(plan_url(region, _text_target(section, part)))
    context = {
        "region": region,
        "form": form,
        "conflict": conflict,
        "section_key": section,
        "part": part,
        "target": _text_target(section, part),
        "url": reverse("plans:plan_text", args=[region.pk, section, part]),
        "cancel_url": plan_url(region, _text_target(section, part)),
        "title": _("%(label)s bij '%(section)s'") % {"label": label, "section": title},
    }
    status = 409 if conflict else (400 if form.errors else 200)
    template = "plans/text_form.html" + ("#text-form" if request.htmx else "")
    return render(request, template, context, status=status)


@transaction.atomic
def _save_text(obj, field, data, user):
    if obj.pk:
        lock_current(obj, data.get("version"))
        obj.version = data["version"] + 1
    elif type(obj)._default_manager.filter(region=obj.region, **_identity(obj)).exists():
        # Someone wrote the first text of this section while this form was open.
        raise ConflictError(type(obj)._default_manager.get(region=obj.region, **_identity(obj)))
    setattr(obj, field, data["text"])
    if isinstance(obj, PlanText):
        obj.updated_by = user
    obj.save()


def _identity(obj):
    return {"section": obj.section} if isinstance(obj, PlanText) else {}


def _text_answer(request, region, section, part, text, saved):
    return render(
        request,
        "plans/_sections.html#plan-text",
        {
            "region": region,
            "can_edit": True,
            "print": False,
            "section_key": section,
            "part": part,
            "text": text,
            "label": TEXT_PARTS[part][1],
            "saved": saved,
            "focus": True,
        },
    )


# --- goals and outcomes ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request, region_pk):
    region, _can_edit = plan_region(request.user, region_pk, write=True)
    return _goal_page(request, region, Goal(region=region), _("Nieuw doel"))


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, region_pk, pk):
    region, _can_edit = plan_region(request.user, region_pk, write=True)
    goal = get_object_or_404(Goal, pk=pk, region=region)
    return _goal_page(request, region, goal, _("Doel bewerken"))


def _goal_page(request, region, goal, title):
    data = request.POST if request.method == "POST" else None
    form = GoalForm(data, instance=goal, region=region)
    outcomes = OutcomeFormSet(data, instance=goal, prefix="resultaten")
    conflict = None
    if data is not None and form.is_valid() and outcomes.is_valid():
        try:
            _save_goal(form, outcomes)
        except ConflictError as exc:
            rebase(form, exc.current)
            conflict = str(exc)
        else:
            messages.success(request, _("Doel opgeslagen: %(title)s.") % {"title": goal.title})
            return redirect(plan_url(region, f"doel-{goal.pk}"))
    status = 409 if conflict else (400 if form.errors or outcomes.total_error_count() else 200)
    return render(
        request,
        "plans/goal_form.html",
        {
            "region": region,
            "goal": goal,
            "form": form,
            "outcomes": outcomes,
            "conflict": conflict,
            "title": title,
            "cancel_url": plan_url(region, PlanSection.GOALS),
        },
        status=status,
    )


@transaction.atomic
def _save_goal(form, outcomes):
    goal = form.instance
    if goal.pk:
        lock_current(goal, form.cleaned_data.get("version"))
        goal.version = form.cleaned_data["version"] + 1
    form.save()
    outcomes.instance = goal
    outcomes.save()


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request, region_pk, pk):
    region, _can_edit = plan_region(request.user, region_pk, write=True)
    goal = get_object_or_404(Goal, pk=pk, region=region)
    if request.method == "POST":
        goal.delete()
        messages.success(request, _("Doel verwijderd: %(title)s.") % {"title": goal.title})
        return redirect(plan_url(region, PlanSection.GOALS))
    return render(
        request,
        "plans/goal_delete.html",
        {"region": region, "goal": goal, "cancel_url": plan_url(region, f"doel-{goal.pk}")},
    )
