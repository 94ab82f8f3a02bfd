from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from regions import selectors as region_selectors

from . import selectors, services
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
        messages.success(
            request,
            _(
                "De checklist is toegewezen aan %(n)d school/scholen; de schoolleiders kregen "
                "een e-mail."
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
    return {
        "assignment": assignment,
        "version": assignment.template_version,
        "blocks": blocks,
        "can_fill": can_fill,
        "can_manage": scope.can_manage_checklists(assignment.region_id),
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
