from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from regions import selectors as region_selectors

from . import charts, exports, rollup, scoring, selectors, services
from .forms import AnswerForm, AssignForm, ReopenForm
from .models import Assignment

PAGE_SIZE = 50


@login_required
@require_safe
def assignment_list(request):
    if not selectors.may_see_checklists(request.user):
        raise Http404
    status = request.GET.get("status", "")
    rows = selectors.assignment_list(request.user, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = region_selectors.get_scope(request.user)
    manage = region_selectors.regions_for(request.user).filter(pk__in=scope.coordinator_regions)
    return render(
        request,
        "checklists/assignment_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Assignment.Status.choices,
            "query": f"status={status}" if status else "",
            "manage_regions": list(manage),
            "rollup_templates": list(selectors.rollup_templates(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, region_pk):
    region = region_selectors.get_region_for_user(request.user, region_pk, write=True)
    form = AssignForm(
        request.POST or None,
        templates=selectors.assignable_templates(),
        schools=region_selectors.schools_in_region(region).filter(is_partner=True),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = services.assign_checklist(
            region=region,
            version=data["template"].latest_version(),
            schools=list(data["schools"]),
            due_date=data["due_date"],
            message=data["message"],
            assigned_by=request.user,
            page_url=lambda a: request.build_absolute_uri(
                reverse("checklists:assignment_detail", args=[a.pk])
            ),
        )
        unsent = [a.school.name for a in made if a.mail_failed]
        if unsent:
            messages.warning(
                request,
                _(
                    "De checklist is toegewezen aan %(n)d school/scholen, maar de e-mail aan "
                    "de schoolleiders van %(schools)s kon niet worden verstuurd. Laat het hen "
                    "zelf weten; de checklist staat op hun startpagina."
                )
                % {"n": len(made), "schools": ", ".join(unsent)},
            )
        else:
            messages.success(
                request,
                _(
                    "De checklist is toegewezen aan %(n)d school/scholen; de schoolleiders "
                    "kregen een e-mail."
                )
                % {"n": len(made)},
            )
        return redirect("checklists:assignment_list")
    return render(request, "checklists/assign.html", {"form": form, "region": region})


def _page_context(request, assignment, blocks=None):
    scope = region_selectors.get_scope(request.user)
    blocks = blocks if blocks is not None else selectors.section_blocks(assignment)
    can_fill = scope.can_fill_checklist(assignment.school_id) and assignment.is_open
    if can_fill:
        for block in blocks:
            for row in block.rows:
                if row.form is None:
                    row.form = _form_for(row)
    closed = assignment.status in services.REVIEWABLE
    can_manage = scope.can_manage_checklists(assignment.region_id)
    selectors.add_results(assignment, blocks, closed=closed)
    version = assignment.template_version
    return {
        "assignment": assignment,
        "version": version,
        "blocks": blocks,
        "can_fill": can_fill,
        "can_manage": can_manage,
        "can_review": can_manage and closed,
        "has_building_questions": any(q.school_field for q in version.questions.values()),
        "events": list(assignment.events.select_related("by")),
        "n_open": len(selectors.unanswered(blocks)),
    }


def _form_for(row, data=None):
    answer = row.answer
    initial = {"version": answer.version if answer else 0}
    if answer:
        initial |= {
            "value": answer.value,
            "evidence_note": answer.evidence_note,
            "evidence_link": answer.evidence_link,
            "comment": answer.comment,
        }
    return AnswerForm(data, question=row.question, initial=initial)


@login_required
@require_safe
def assignment_detail(request, pk):
    assignment = selectors.get_assignment_for_user(request.user, pk)
    return render(request, "checklists/assignment.html", _page_context(request, assignment))


def _save_row(request, assignment, row):
    """Validate and save one question from the POST; the row carries the outcome."""
    row.form = _form_for(row, request.POST)
    if not row.form.is_valid():
        return False
    data = row.form.cleaned_data
    try:
        row.answer = services.save_answer(
            assignment=assignment,
            question_key=row.key,
            version=data["version"],
            value=data.get("value", ""),
            evidence_note=data["evidence_note"],
            evidence_link=data["evidence_link"],
            comment=data["comment"],
            by=request.user,
        )
    except services.AnswerConflict as exc:
        row.conflict = str(exc)
        row.answer = exc.current
        # Keep what this person typed, now against the current count: saving again is
        # a deliberate choice to replace the colleague's answer.
        typed = request.POST.copy()
        typed[row.form.add_prefix("version")] = exc.current.version if exc.current else 0
        row.form = AnswerForm(typed, question=row.question)
        row.form.is_valid()
        return False
    row.saved = True
    row.form = _form_for(row)
    return True


def _locked_answer(request, assignment):
    messages.error(request, services.LOCKED)
    return redirect("checklists:assignment_detail", pk=assignment.pk)


@login_required
@require_POST
def answer_save(request, pk, key):
    """One question saved as it is given (htmx: the question's fragment comes back with
    "Opgeslagen", its error or the colleague's answer; without htmx: back to the page)."""
    assignment = selectors.get_assignment_for_user(request.user, pk, write=True)
    if not assignment.is_open:
        return _locked_answer(request, assignment)
    blocks = selectors.section_blocks(assignment)
    block, row = _find(blocks, key)
    saved = _save_row(request, assignment, row)
    if request.htmx:
        context = {
            "assignment": assignment,
            "block": block,
            "row": row,
            "can_fill": True,
            "live_message": _("Opgeslagen: %(text)s") % {"text": row.question.text}
            if saved
            else "",
            "oob": True,
        }
        return render(request, "checklists/assignment.html#question-answer", context)
    if saved:
        messages.success(request, _("Opgeslagen: %(text)s") % {"text": row.question.text})
        return redirect(reverse("checklists:assignment_detail", args=[pk]) + f"#vraag-{key}")
    context = _page_context(request, assignment, blocks)
    return render(
        request, "checklists/assignment.html", context, status=409 if row.conflict else 400
    )


def _find(blocks, key):
    for block in blocks:
        for row in block.rows:
            if row.key == key:
                return block, row
    raise Http404


@login_required
@require_POST
def section_save(request, pk, section):
    """The fallback without JavaScript: every question of one section in one submit.
    Valid questions are saved; a question with an error or a conflict keeps its input."""
    assignment = selectors.get_assignment_for_user(request.user, pk, write=True)
    if not assignment.is_open:
        return _locked_answer(request, assignment)
    blocks = selectors.section_blocks(assignment)
    block = next((b for b in blocks if b.key == section), None)
    if block is None:
        raise Http404
    results = [_save_row(request, assignment, row) for row in block.rows]
    if all(results):
        messages.success(request, _("Opgeslagen: %(title)s.") % {"title": block.title})
        return redirect(
            reverse("checklists:assignment_detail", args=[pk]) + f"#onderdeel-{section}"
        )
    context = _page_context(request, assignment, blocks)
    context["error_section"] = block
    return render(request, "checklists/assignment.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, pk):
    """GET: the confirmation, with the questions still unanswered; POST: submit."""
    assignment = selectors.get_assignment_for_user(request.user, pk, write=True)
    if not assignment.is_open:
        return _locked_answer(request, assignment)
    if request.method == "POST":
        services.submit(assignment=assignment, by=request.user)
        messages.success(
            request,
            _("De checklist is ingediend. De coördinator kan hem nu bekijken."),
        )
        return redirect("checklists:assignment_detail", pk=pk)
    blocks = selectors.section_blocks(assignment)
    return render(
        request,
        "checklists/submit.html",
        {"assignment": assignment, "open_rows": selectors.unanswered(blocks)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request, pk):
    assignment = selectors.get_assignment_to_manage(request.user, pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen(
                assignment=assignment, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("De checklist is heropend; de school kan hem weer aanvullen.")
            )
            return redirect("checklists:assignment_detail", pk=pk)
    return render(request, "checklists/reopen.html", {"assignment": assignment, "form": form})


# --- review ---------------------------------------------------------------------------


def _review_error(request, assignment, exc):
    messages.error(request, " ".join(exc.messages))
    return redirect("checklists:assignment_detail", pk=assignment.pk)


@login_required
@require_POST
def remark_save(request, pk, key):
    """The coordinator's remark on one question (htmx: the answer comes back with it)."""
    assignment = selectors.get_assignment_to_manage(request.user, pk)
    blocks = selectors.section_blocks(assignment)
    _block, row = _find(blocks, key)
    error = ""
    try:
        services.save_remark(
            assignment=assignment,
            question_key=key,
            text=request.POST.get("text", ""),
            by=request.user,
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Opmerking opgeslagen."))
        return redirect(reverse("checklists:assignment_detail", args=[pk]) + f"#vraag-{key}")
    row.remark = selectors.remarks_of(assignment).get(key)
    context = {
        "assignment": assignment,
        "row": row,
        "can_review": assignment.status in services.REVIEWABLE,
        "remark_error": error,
        "remark_typed": request.POST.get("text", "") if error else "",
        "remark_saved": not error,
    }
    return render(
        request, "checklists/assignment.html#answer", context, status=400 if error else 200
    )


@login_required
@require_POST
def mark_reviewed(request, pk):
    assignment = selectors.get_assignment_to_manage(request.user, pk)
    try:
        services.mark_reviewed(assignment=assignment, by=request.user)
    except ValidationError as exc:
        return _review_error(request, assignment, exc)
    messages.success(request, _("De checklist is gemarkeerd als beoordeeld."))
    return redirect("checklists:assignment_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def building(request, pk):
    """GET: the school's building fields now and what the answers would make them;
    POST: take them over (the school's coordinator, for a submitted checklist)."""
    assignment = selectors.get_assignment_to_manage(request.user, pk)
    if not region_selectors.get_scope(request.user).can_edit_school(assignment.school):
        raise PermissionDenied  # the school moved to another region since
    if request.method == "POST":
        try:
            changes = services.accept_building_answers(assignment=assignment, by=request.user)
        except ValidationError as exc:
            return _review_error(request, assignment, exc)
        if changes:
            messages.success(
                request,
                _("Overgenomen in de gegevens van %(school)s: %(changes)s.")
                % {
                    "school": assignment.school.name,
                    "changes": "; ".join(f"{c.label}: {c.before} → {c.after}" for c in changes),
                },
            )
        else:
            messages.info(request, _("Er was niets over te nemen: de gegevens waren al gelijk."))
        return redirect("checklists:assignment_detail", pk=pk)
    return render(
        request,
        "checklists/building.html",
        {
            "assignment": assignment,
            "changes": services.building_changes(assignment),
            "reviewable": assignment.status in services.REVIEWABLE,
        },
    )


def _suggestion_goal(version, section, school_names):
    return _(
        "Volgende stap uit de checklist '%(title)s', onderdeel '%(section)s', dat laag "
        "scoort bij: %(schools)s."
    ) % {"title": version.title, "section": section, "schools": ", ".join(school_names)}


def _action_made(request, action):
    messages.success(
        request,
        _("Werkagenda-actie gemaakt: %(title)s. Vul eigenaar, deadline en doel aan.")
        % {"title": action.title},
    )
    return redirect("toolkit:action_edit", region_pk=action.region_id, pk=action.pk)


def _chosen_suggestion(request, suggestions):
    """The tip or measure of the POST, if it is one of the low section's suggestions."""
    kind, ref = request.POST.get("soort", ""), request.POST.get("ref", "")
    for suggestion in suggestions:
        if (suggestion.kind, suggestion.ref) == (kind, ref):
            return suggestion
    return None


@login_required
@require_POST
def next_step(request, pk):
    """A low section's tip or measure as a werkagenda action of the region, linked to
    this school; then on to the new action in the werkagenda."""
    assignment = selectors.get_assignment_to_manage(request.user, pk)
    blocks = selectors.section_blocks(assignment)
    selectors.add_results(assignment, blocks, closed=assignment.status in services.REVIEWABLE)
    block = next((b for b in blocks if b.key == request.POST.get("sectie")), None)
    suggestion = _chosen_suggestion(request, block.suggestions) if block else None
    if suggestion is None:
        messages.error(
            request,
            _("Kies een tip of maatregel die hier als volgende stap wordt voorgesteld."),
        )
        return redirect("checklists:assignment_detail", pk=pk)
    try:
        action = services.create_action_from_suggestion(
            region=assignment.region,
            schools=[assignment.school],
            kind=suggestion.kind,
            ref=suggestion.ref,
            goal=_suggestion_goal(
                assignment.template_version, block.title, [assignment.school.name]
            ),
            by=request.user,
        )
    except ValidationError as exc:
        return _review_error(request, assignment, exc)
    return _action_made(request, action)


# --- roll-up ----------------------------------------------------------------------------


def _selection(request, slug, data=None):
    data = request.GET if data is None else data
    return selectors.get_rollup_selection(
        request.user, slug, regio=data.get("regio", ""), swv=data.get("swv", "")
    )


@login_required
@require_safe
def rollup_page(request, slug):
    selection = _selection(request, slug)
    result = rollup.build_rollup(selection.template, selection.assignments())
    scope = region_selectors.get_scope(request.user)
    region = selection.single_region
    return render(
        request,
        "checklists/rollup.html",
        {
            "selection": selection,
            "rollup": result,
            "low_score": scoring.percent(scoring.LOW_SCORE),
            "action_region": region if region and scope.can_manage_checklists(region.pk) else None,
            "can_export": all(scope.can_manage_checklists(pk) for pk in selection.region_ids),
            "charts": charts.rollup_charts(result),
        },
    )


@login_required
@require_safe
def rollup_export(request, slug):
    """The roll-up as CSV or XLSX (?formaat=), for the coordinator of the regions in it."""
    selection = _selection(request, slug)
    scope = region_selectors.get_scope(request.user)
    if not all(scope.can_manage_checklists(pk) for pk in selection.region_ids):
        raise PermissionDenied
    fmt = request.GET.get("formaat", "csv")
    if fmt not in exports.FORMATS:
        return HttpResponse(
            _("Kies csv of xlsx als formaat."), status=400, content_type="text/plain"
        )
    result = rollup.build_rollup(selection.template, selection.assignments())
    content, content_type = exports.export_rollup(result, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.file_name(selection.template, fmt)}"'
    )
    return response


@login_required
@require_POST
def rollup_next_step(request, region_pk, slug):
    """A tip or measure of a section that scores low in the region as one werkagenda
    action, linked to the schools that score low on that section (?swv= narrows)."""
    region = region_selectors.get_region_for_user(request.user, region_pk, write=True)
    data = request.POST.copy()
    data["regio"] = str(region.pk)
    selection = _selection(request, slug, data)
    back = reverse("checklists:rollup", args=[slug]) + f"?{selection.query}"
    result = rollup.build_rollup(selection.template, selection.assignments())
    section = next((s for s in result.low_sections if s.key == request.POST.get("sectie")), None)
    suggestion = _chosen_suggestion(request, section.suggestions) if section else None
    if suggestion is None:
        messages.error(
            request,
            _("Kies een tip of maatregel die hier als volgende stap wordt voorgesteld."),
        )
        return redirect(back)
    schools = [row.school for row, _score in section.low_schools]
    try:
        action = services.create_action_from_suggestion(
            region=region,
            schools=schools,
            kind=suggestion.kind,
            ref=suggestion.ref,
            goal=_suggestion_goal(result.version, section.title, [s.name for s in schools]),
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    return _action_made(request, action)
