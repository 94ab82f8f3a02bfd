from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from regions import selectors as region_selectors
from regions.numbers import plain_int
from regions.pages import edit_in_place, list_page, read_page

from . import charts, selectors, services
from .forms import (
    NEEDS_ACTION,
    ActionForm,
    ExampleFilterForm,
    ItemFilterForm,
    ItemProgressForm,
    MeasureDecisionForm,
)
from .models import (
    Measure,
    Phase,
    PracticeExample,
    RegionAction,
    ReviewMoment,
    ToolkitItem,
    WerkagendaLine,
)


def _region(request, pk, *, write=False):
    region = region_selectors.get_region_for_user(request.user, pk, write=write)
    can_edit = region_selectors.get_scope(request.user).can_edit_region(region.pk)
    return region, can_edit


def _item_prefix(item):
    return f"item-{item.pk}"


def _needs_action_filter(request):
    """Measures shown: those still to be decided, or all of them (`?toon=alle`)."""
    return request.GET.get("toon") != "alle"


@read_page
def toolkit_page(request, pk):
    region, can_edit = _region(request, pk)
    users = selectors.region_users(region)
    filters = ItemFilterForm(request.GET or None, users=users)
    # The closed rows show no history (an opened row gathers its own: item_row); every
    # item's history was most of the large region's page.
    rows = selectors.item_rows(region, users=users, with_history=False)
    n_total = len(rows)
    if not filters.is_bound:
        rows = selectors.filter_rows(rows, {"status": NEEDS_ACTION})
    elif filters.is_valid():
        rows = selectors.filter_rows(rows, filters.cleaned_data)
    context = {
        "region": region,
        "can_edit": can_edit,
        "filters": filters,
        "groups": selectors.group_by_chapter(rows),
        "n_shown": len(rows),
        "n_total": n_total,
        "show_all_link": not filters.is_bound or filters.data.get("status") == NEEDS_ACTION,
    }
    return list_page(request, "toolkit/toolkit.html", context)


@read_page
def item_row(request, pk, slug):
    """One item's table row, closed again ("Sluiten" with htmx; its plain link goes to the
    toolkit page instead)."""
    item = get_object_or_404(ToolkitItem.objects.select_related("chapter", "section"), slug=slug)
    return _closed_row(
        request, pk, "toolkit/toolkit.html#item-row", "row", lambda r: selectors.item_row(r, item)
    )


def _closed_row(request, pk, partial, name, find):
    """A row of the region's page closed again, focus on its edit link: `find(region)`
    is the row's item progress (name "row") or measure decision ("decision")."""
    region, can_edit = _region(request, pk)
    context = {"region": region, "can_edit": can_edit, name: find(region), "focus": True}
    return render(request, partial, context)


@edit_in_place
def item_progress(request, pk, slug):
    """One item: GET shows it (htmx: the row opened in place), POST saves its progress.

    An htmx save answers the closed row plus the message for the page's status region;
    form errors and conflicts answer the opened row again (htmx does not swap 4xx)."""
    region, can_edit = _region(request, pk, write=request.method == "POST")
    item = get_object_or_404(ToolkitItem.objects.select_related("chapter", "section"), slug=slug)
    users = selectors.region_users(region)
    row = selectors.item_row(region, item, users=users)
    status, conflict, saved = 200, None, False
    form = ItemProgressForm(users=users, progress=row.progress, prefix=_item_prefix(item))
    if request.method == "POST":
        form = ItemProgressForm(request.POST, users=users, prefix=_item_prefix(item))
        if form.is_valid():
            try:
                # The form's fields are the service's keyword arguments.
                services.update_item_progress(region=region, item=item, **form.cleaned_data)
            except services.ConflictError as exc:
                conflict, status = str(exc), 409
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                saved = True
                if not request.htmx:
                    messages.success(request, _("Opgeslagen: %(title)s.") % {"title": item.title})
                    url = reverse("toolkit:toolkit", args=[region.pk])
                    return redirect(f"{url}#item-{item.slug}")
            row = selectors.item_row(region, item, users=users)
            if conflict:
                # Keep what this person typed, now against the current version: the alert
                # shows the other person's values, and saving again is a deliberate choice.
                typed = request.POST.copy()
                typed[f"{_item_prefix(item)}-version"] = row.progress.version
                form = ItemProgressForm(typed, users=users, prefix=_item_prefix(item))
        else:
            status = 400
    return _row_answer(
        request,
        {"region": region, "can_edit": can_edit, "row": row, "conflict": conflict},
        row=row,
        form=form,
        saved=saved
        and _("Opgeslagen. %(title)s: %(status)s.")
        % {"title": item.title, "status": row.progress.get_status_display()},
        rows="toolkit/toolkit.html#item",
        status=status,
    )


def _row_answer(request, context, *, row, form, saved, rows, status):
    """The answer to opening or saving a row in place. Saved: the closed row and
    `saved` (the message) for the page's status region; with htmx otherwise the opened
    row again (htmx does not swap 4xx); without htmx the row's own form page
    (toolkit/row_page.html, one for items and measures). The form goes on the row
    (item progress or measure decision) for those who may edit."""
    row.form = form if context["can_edit"] else None
    context |= {"saved": bool(saved), "inline": bool(request.htmx)}
    if saved:
        context |= {"focus": True, "live_message": saved}
        return render(request, f"{rows}-saved", context)
    if request.htmx:
        return render(request, f"{rows}-edit-row", context)
    return render(request, "toolkit/row_page.html", context, status=status)


@read_page
def werkagenda_page(request, pk):
    region, can_edit = _region(request, pk)
    return _werkagenda(request, region, can_edit, _open_lines(request, region))


def _werkagenda(request, region, can_edit, open_lines):
    blocks = selectors.werkagenda(region, open_lines=open_lines)
    needs_action = _needs_action_filter(request)
    n_total = sum(len(block.measures) for block in blocks)
    if needs_action:
        for block in blocks:
            block.measures = [d for d in block.measures if d.decision == d.Decision.OPEN]
    return render(
        request,
        "toolkit/werkagenda.html",
        {
            "region": region,
            "can_edit": can_edit,
            "blocks": blocks,
            "needs_action": needs_action,
            "new_action_pk": _new_action_pk(request),
            "n_shown": sum(len(block.measures) for block in blocks),
            "n_total": n_total,
            "today": timezone.localdate(),
            "phases": Phase.objects.all(),
            "review_moments": ReviewMoment.objects.all(),
        },
    )


def _open_lines(request, region):
    """The line numbers whose actions the page shows: `?lijn=<n>` (the plain link of a
    folded line, and where an edited action lands) and the line of a new action."""
    # Line numbers are small: anything else (a hand-edited URL) is ignored.
    numbers = {n for n in map(plain_int, request.GET.getlist("lijn")[:10]) if n and n < 100}
    new_pk = _new_action_pk(request)
    if new_pk:
        found = RegionAction.objects.filter(region=region, pk=new_pk)
        numbers.add(found.values_list("line__number", flat=True).first())
    return numbers - {None}


@read_page
def line_actions(request, region_pk, pk):
    """One line's actions opened in place (htmx); without htmx the page with that line
    open (the folded line's own plain link is `?lijn=<n>`)."""
    region, can_edit = _region(request, region_pk)
    line = get_object_or_404(WerkagendaLine, pk=pk)
    if not request.htmx:
        return _werkagenda(request, region, can_edit, {line.number})
    context = {
        "region": region,
        "can_edit": can_edit,
        "block": selectors.line_actions(region, line),
        "today": timezone.localdate(),
        "line_focus": True,
    }
    return render(request, "toolkit/werkagenda.html#line-actions", context)


@read_page
def line_folded(request, region_pk, pk):
    """One line's actions folded again ("Sluiten" with htmx): the heading with counts and
    the button that opens them, which takes the focus back. Without htmx: the page."""
    region, can_edit = _region(request, region_pk)
    line = get_object_or_404(WerkagendaLine, pk=pk)
    if not request.htmx:
        return _werkagenda(request, region, can_edit, set())
    block = selectors.LineBlock(line, [], [], is_open=False)
    block.n_actions, block.n_open, block.n_overdue = selectors.action_counts_per_line(region).get(
        line.pk, (0, 0, 0)
    )
    context = {
        "region": region,
        "can_edit": can_edit,
        "block": block,
        "needs_action": _needs_action_filter(request),
        "line_focus": True,
    }
    return render(request, "toolkit/werkagenda.html#line-actions", context)


@read_page
def action_detail(request, region_pk, pk):
    """One action opened: its details, short history and (for editors) its buttons. htmx:
    the row opened in place; without htmx the action on a page of its own. The page
    itself shows every action closed, without history or forms (180 actions with their
    forms and histories made the large region's page take a second)."""
    region, can_edit = _region(request, region_pk)
    action = selectors.werkagenda_action(region, pk)
    context = {"region": region, "can_edit": can_edit, "action": action, "inline": request.htmx}
    if request.htmx:
        return render(request, "toolkit/werkagenda.html#action-open-row", context)
    return render(request, "toolkit/row_page.html", context)


@read_page
def action_row(request, region_pk, pk):
    """One action's row closed again ("Sluiten" with htmx); without htmx the page with
    the action's line open."""
    region, can_edit = _region(request, region_pk)
    action = selectors.werkagenda_action(region, pk)
    if not request.htmx:
        return _werkagenda(request, region, can_edit, {action.line.number})
    context = {"region": region, "can_edit": can_edit, "action": action, "focus": True}
    return render(
        request,
        "toolkit/werkagenda.html#action-row",
        context | {"today": timezone.localdate()},
    )


def _action_on_page(region, action):
    """The werkagenda page with the action's line open, at the action."""
    url = reverse("toolkit:werkagenda", args=[region.pk])
    return f"{url}?lijn={action.line.number}#actie-{action.pk}"


def _new_action_pk(request):
    """The action just added (`?nieuw=<pk>` after action_create), to show its message."""
    value = request.GET.get("nieuw", "")
    return plain_int(value)


def _decision_form(decision, data=None):
    return MeasureDecisionForm(
        data,
        prefix=f"m-{decision.measure.pk}",
        initial={
            "decision": decision.decision,
            "reason": decision.reason,
            "version": decision.version,
        },
    )


def _region_measure(code):
    return get_object_or_404(Measure.objects.exclude(level=Measure.Level.LANDELIJK), code=code)


@read_page
def measure_row(request, pk, code):
    """One measure's table row, closed again ("Sluiten" with htmx; its plain link goes to
    the werkagenda page instead)."""
    measure = _region_measure(code)
    return _closed_row(
        request,
        pk,
        "toolkit/werkagenda.html#measure-row",
        "decision",
        lambda r: selectors.werkagenda_decision(r, measure),
    )


@edit_in_place
def measure_decision(request, pk, code):
    """One measure: GET shows it (htmx: the row opened in place), POST saves the decision."""
    region, can_edit = _region(request, pk, write=request.method == "POST")
    measure = _region_measure(code)
    conflict, saved = None, False
    decision = selectors.werkagenda_decision(region, measure)
    form = _decision_form(decision)
    if request.method == "POST":
        form = MeasureDecisionForm(request.POST, prefix=f"m-{measure.pk}")
        if form.is_valid():
            try:
                services.decide_measure(region=region, measure=measure, **form.cleaned_data)
            except services.ConflictError as exc:
                conflict = str(exc)
            else:
                saved = True
                if not request.htmx:
                    messages.success(
                        request, _("Besluit over %(code)s opgeslagen.") % {"code": code}
                    )
                    url = reverse("toolkit:werkagenda", args=[region.pk])
                    return redirect(f"{url}#maatregel-{slugify(measure.code)}")
            # Fresh from the database: the current values and version, never the stale ones.
            decision = selectors.werkagenda_decision(region, measure)
            form = _decision_form(decision)
    return _row_answer(
        request,
        {"region": region, "can_edit": can_edit, "decision": decision, "conflict": conflict},
        row=decision,
        form=form,
        saved=saved
        and _("Besluit over %(code)s opgeslagen: %(decision)s.")
        % {"code": code, "decision": decision.get_decision_display()},
        rows="toolkit/werkagenda.html#measure",
        status=200 if request.method == "GET" else (409 if conflict else 400),
    )


def _action_form(request, region, users, instance=None):
    return ActionForm(
        request.POST or None,
        instance=instance,
        region=region,
        users=users,
        schools=region_selectors.schools_in_region(region).filter(is_partner=True),
        initial={"line": request.GET.get("lijn")} if instance is None else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request, pk):
    region, _can_edit = _region(request, pk, write=True)
    users = selectors.region_users(region)
    form = _action_form(request, region, users)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            action = services.create_action(region=region, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Land on the new action, its message beside it (werkagenda.html), not on top.
            url = reverse("toolkit:werkagenda", args=[region.pk])
            return redirect(f"{url}?nieuw={action.pk}#actie-{action.pk}")
    return render(
        request,
        "toolkit/action_form.html",
        {
            "form": form,
            "region": region,
            "title": _("Nieuwe actie"),
            "cancel_url": reverse("toolkit:werkagenda", args=[region.pk]),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, region_pk, pk):
    region, _can_edit = _region(request, region_pk, write=True)
    action = get_object_or_404(RegionAction, pk=pk, region=region)
    users = selectors.region_users(region)
    form = _action_form(request, region, users, instance=action)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            action = services.update_action(
                region=region,
                action_id=action.pk,
                version=form.cleaned_data["version"],
                data=data,
            )
        except services.ConflictError as exc:
            conflict = str(exc)
            current = RegionAction.objects.get(pk=action.pk)
            form = ActionForm(
                instance=current,
                region=region,
                users=users,
                schools=region_selectors.schools_in_region(region).filter(is_partner=True),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Actie opgeslagen: %(title)s.") % {"title": action.title})
            return redirect(_action_on_page(region, action))
    status = 409 if conflict else (400 if form.errors else 200)
    return render(
        request,
        "toolkit/action_form.html",
        {
            "form": form,
            "region": region,
            "action": action,
            "conflict": conflict,
            "title": _("Actie bewerken"),
            "cancel_url": _action_on_page(region, action),
        },
        status=status,
    )


@login_required
@require_POST
def action_status(request, region_pk, pk):
    """Complete or reopen an action (plain POST; redirects back to the line)."""
    region, _can_edit = _region(request, region_pk, write=True)
    action = get_object_or_404(RegionAction, pk=pk, region=region)
    done = request.POST.get("done") == "1"
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise Http404 from None
    url = _action_on_page(region, action)
    try:
        services.set_action_status(region=region, action_id=action.pk, version=version, done=done)
    except services.ConflictError as exc:
        messages.error(request, str(exc))
        return redirect(url)
    if done:
        messages.success(request, _("Actie afgerond: %(title)s.") % {"title": action.title})
    else:
        messages.success(request, _("Actie heropend: %(title)s.") % {"title": action.title})
    return redirect(url)


@login_required
@require_safe
def dashboard(request, pk):
    region, can_edit = _region(request, pk)
    progress = selectors.line_progress(region)
    counts = selectors.tip_status_counts(region)
    return render(
        request,
        "toolkit/dashboard.html",
        {
            "region": region,
            "can_edit": can_edit,
            "progress": progress,
            "counts": counts,
            "line_chart": charts.line_progress_chart(progress),
            "status_chart": charts.status_chart(counts),
            "overdue_items": selectors.overdue_items(region),
            "overdue_actions": selectors.overdue_actions(region),
            "changes": region_selectors.recent_changes(
                request.user, region=region, days=30, limit=25
            ),
        },
    )


# --- practice-example library: national, read-only content for every logged-in user ----


@read_page
def example_list(request):
    filters = ExampleFilterForm(request.GET or None)
    examples = selectors.practice_examples(filters.filters())
    context = {
        "filters": filters,
        "examples": examples,
        "n_shown": len(examples),
        "n_total": PracticeExample.objects.count(),
    }
    return list_page(request, "toolkit/example_list.html", context)


@login_required
@require_safe
def example_detail(request, slug):
    example = get_object_or_404(PracticeExample.objects.select_related("type"), slug=slug)
    # Coordinators can start an initiative modelled on it in each region they edit.
    regions = region_selectors.editable_regions(request.user)
    return render(
        request, "toolkit/example_detail.html", {"example": example, "start_regions": regions}
    )
