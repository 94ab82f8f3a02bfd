from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from regions import selectors as region_selectors
from regions.pages import list_page

from . import charts, exports, rollup, scoring, selectors, services
from .forms import AnswerForm, AssignForm, AssignmentFilterForm, ReopenForm, RollupFilterForm

PAGE_SIZE = 50
ANSWER_FIELDS = ("value", "evidence_note", "evidence_link", "comment")


@login_required
@require_safe
def assignment_list(request):
    if not selectors.may_see_checklists(request.user):
        raise Http404
    form = AssignmentFilterForm(request.GET or None)
    rows = form.filter(selectors.assignment_list(request.user))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.add_answered_counts(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    scope = region_selectors.get_scope(request.user)
    manage = region_selectors.regions_for(request.user).filter(pk__in=scope.coordinator_regions)
    return list_page(
        request,
        "checklists/assignment_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "show_rows": selectors.sees_school_checklists(request.user),
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
                _assigned_message(made)
                + " "
                + _(
                    "De e-mail aan de schoolleiders van %(schools)s kon niet worden "
                    "verstuurd. Laat het hen zelf weten; de checklist staat op hun startpagina."
                )
                % {"schools": ", ".join(unsent)},
            )
        else:
            messages.success(request, _assigned_message(made))
        return redirect("checklists:assignment_list")
    context = {"form": form, "region": region, "cancel_url": reverse("checklists:assignment_list")}
    return render(request, "checklists/assign.html", context)


def _assigned_message(made) -> str:
    """How many schools got it, how many of them get an e-mail, and which get none."""
    unmailed = [a.school.name for a in made if not services.leader_emails(a.school)]
    parts = [
        ngettext(
            "De checklist is toegewezen aan %(n)d school.",
            "De checklist is toegewezen aan %(n)d scholen.",
            len(made),
        )
        % {"n": len(made)}
    ]
    mailed = len(made) - len(unmailed)
    if mailed:
        parts.append(
            ngettext(
                "De schoolleider van %(n)d school krijgt een e-mail.",
                "De schoolleiders van %(n)d scholen krijgen een e-mail.",
                mailed,
            )
            % {"n": mailed}
        )
    if unmailed:
        parts.append(
            _(
                "Geen e-mail voor %(schools)s: daar is geen schoolleider met een e-mailadres; "
                "laat het de school zelf weten."
            )
            % {"schools": ", ".join(unmailed)}
        )
    return " ".join(parts)


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
    if row.answer is None and not any(data.get(name) for name in ANSWER_FIELDS):
        return True  # nothing given and nothing there: no empty answer, no "Opgeslagen"
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
    if not assignment.is_open and not request.htmx:
        return _locked_answer(request, assignment)
    blocks = selectors.section_blocks(assignment)
    block, row = _find(blocks, key)
    if assignment.is_open:
        saved = _save_row(request, assignment, row)
        live_message = _("Opgeslagen: %(text)s") % {"text": row.question.text} if saved else ""
    else:
        # A save from a tab opened before the checklist was submitted: the question
        # comes back with what was typed and why it was not saved (no redirect: htmx
        # would put the whole page inside the question).
        row.form = _form_for(row, request.POST)
        row.form.is_valid()
        row.refused = live_message = _(
            "Deze checklist is al ingediend; uw antwoord is niet opgeslagen."
        )
    if request.htmx:
        context = {
            "assignment": assignment,
            "block": block,
            "row": row,
            "can_fill": True,
            "live_message": live_message,
            "oob": True,
        }
        return render(request, "checklists/assignment.html#question-answer", context)
    if saved:
        messages.success(request, _("Opgeslagen: %(text)s") % {"text": row.question.text})
        return redirect(reverse("checklists:assignment_detail", args=[pk]) + f"#vraag-{key}")
    context = _page_context(request, assignment, blocks)
    context["problem_rows"] = [row]
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
    context["problem_rows"] = [row for row in block.rows if row.problem]
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
    cancel_url = reverse("checklists:assignment_detail", args=[pk])
    context = {"assignment": assignment, "form": form, "cancel_url": cancel_url}
    return render(request, "checklists/reopen.html", context)


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
    error, conflict = "", False
    try:
        services.save_remark(
            assignment=assignment,
            question_key=key,
            text=request.POST.get("text", ""),
            by=request.user,
            version=_number(request.POST.get("version")),
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    except services.RemarkConflict as exc:
        error, conflict = str(exc), True
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
    status = 409 if conflict else (400 if error else 200)
    return render(request, "checklists/assignment.html#answer", context, status=status)


def _number(text):
    """A posted whole number, or None (then nothing matches it)."""
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


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


def _action_exists(request, exc, back):
    action = exc.action
    messages.info(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _(
                "Deze tip of maatregel staat voor deze school of scholen al als actie in "
                "de werkagenda; er is geen tweede gemaakt:"
            ),
            reverse("toolkit:action_edit", kwargs={"region_pk": action.region_id, "pk": action.pk}),
            action.title,
        ),
    )
    return redirect(back)


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
    except services.ActionExists as exc:
        return _action_exists(request, exc, reverse("checklists:assignment_detail", args=[pk]))
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
            "form": RollupFilterForm(request.GET or None, selection=selection),
            "rollup": result,
            "low_score": scoring.percent(scoring.LOW_SCORE),
            "open_regions": scope.coordinator_regions,
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
    except services.ActionExists as exc:
        return _action_exists(request, exc, back)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    return _action_made(request, action)
