"""Who sees which checklist, and the pages' rows.

Coordinator: the assignments of his regions. Manager: none: he reads the roll-ups of
his institution's regions only, never a school's checklist with its free-text answers
(evidence, links, comments, names). School leader: his school's. Begeleider: those of
the schools where the pupils he is assigned to (learners.selectors.assigned_pupil_ids,
active pupils of his regions) are now (`Pupil.current_school`). The functional admin
keeps the templates in Django admin and sees no assignment. Outside this: 404.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404

from learners.models import Pupil
from learners.selectors import assigned_pupil_ids
from regions.models import Region, Samenwerkingsverband
from regions.selectors import _get_for, get_scope

from . import scoring
from .models import Answer, Assignment, ChecklistTemplate, Question
from .rollup import OfSection, linked_content, suggestions_for


def begeleider_school_ids(user):
    """Subquery: the current schools of the begeleider's own pupils."""
    scope = get_scope(user)
    return Pupil.objects.filter(
        region_id__in=scope.begeleider_regions,
        pk__in=assigned_pupil_ids(user),
        is_active=True,
        current_school__isnull=False,
    ).values("current_school_id")


# A begeleider reads the results of his pupils' schools: handed in, not in progress.
BEGELEIDER_READS = (Assignment.Status.SUBMITTED, Assignment.Status.REVIEWED)


def assignments_for(user):
    scope = get_scope(user)
    condition = Q(pk__in=[])
    # Not the manager's regions: "roll-ups read-only" (rollup_regions) is all he gets.
    if scope.coordinator_regions:
        condition |= Q(region_id__in=scope.coordinator_regions)
    if scope.leader_schools:
        condition |= Q(school_id__in=scope.leader_schools)
    if scope.begeleider_regions:
        # Results, not drafts: what the school leader has not handed in stays his.
        condition |= Q(school_id__in=begeleider_school_ids(user), status__in=BEGELEIDER_READS)
    return Assignment.objects.filter(condition).select_related(
        "school", "region", "template_version__template", "assigned_by"
    )


def may_see_checklists(user) -> bool:
    """The checklist list: everyone with a region or a school; the admin and users
    without a role have nothing there (404)."""
    scope = get_scope(user)
    return bool(scope.readable_regions or scope.leader_schools)


def sees_school_checklists(user) -> bool:
    """Rows of single schools' checklists on the list page: not for a manager-only user,
    whose list holds the roll-up links only."""
    scope = get_scope(user)
    return bool(scope.coordinator_regions or scope.leader_schools or scope.begeleider_regions)


def get_assignment_for_user(user, pk, *, write=False) -> Assignment:
    """An assignment the user may see (404 otherwise); with write=True one he may fill in
    (the school's leader; others who see it get 403)."""
    scope = get_scope(user)
    return _get_for(
        assignments_for(user), pk, write and (lambda a: scope.can_fill_checklist(a.school_id))
    )


def get_assignment_to_manage(user, pk) -> Assignment:
    """An assignment the coordinator of its region may reopen (403 for other readers)."""
    scope = get_scope(user)
    return _get_for(assignments_for(user), pk, lambda a: scope.can_manage_checklists(a.region_id))


def open_assignments_for(user) -> list[Assignment]:
    """For the school leader's home page: his school's checklists still to fill in,
    the first due first, with `n_answered`."""
    scope = get_scope(user)
    if not scope.leader_schools:
        return []
    return add_answered_counts(
        assignments_for(user)
        .filter(school_id__in=scope.leader_schools, status__in=Assignment.OPEN)
        .order_by("due_date", "pk")
    )


def add_answered_counts(assignments) -> list[Assignment]:
    """Each assignment with `n_answered`: its questions answered as the fill-in page
    counts them (Question.is_answered), in one query for all of them."""
    assignments = list(assignments)
    answers = {}
    for answer in Answer.objects.filter(assignment__in=assignments).only(
        "assignment_id", "question_key", "value", "evidence_note", "evidence_link"
    ):
        answers.setdefault(answer.assignment_id, []).append(answer)
    for assignment in assignments:
        questions = assignment.template_version.questions
        assignment.n_answered = sum(
            1
            for answer in answers.get(assignment.pk, [])
            if answer.question_key in questions
            and questions[answer.question_key].is_answered(answer)
        )
    return assignments


def assignment_list(user):
    """The list page: newest due date last (the view adds `n_answered` to a page)."""
    qs = assignments_for(user)
    return qs.order_by("due_date", "school__name", "pk")


def assignable_templates():
    """Templates for school leaders that have a published version."""
    return ChecklistTemplate.objects.filter(
        audience="schoolleider", versions__isnull=False
    ).distinct()


# --- the fill-in page -------------------------------------------------------------------


@dataclass
class QuestionRow:
    question: Question
    answer: Answer | None
    form: object = None
    saved: bool = False
    conflict: str = ""
    refused: str = ""  # why a save was not taken (the checklist was submitted meanwhile)
    remark: object = None  # the coordinator's Remark, once submitted

    @property
    def key(self):
        return self.question.key

    @property
    def display(self) -> str:
        return self.question.display(self.answer.value) if self.answer else ""

    @property
    def is_given(self) -> bool:
        return self.question.is_answered(self.answer)

    @property
    def problem(self) -> str:
        """Why this question's save was not taken (for the page's error summary)."""
        if self.conflict or self.refused:
            return self.conflict or self.refused
        if self.form is not None and self.form.is_bound and self.form.errors:
            return " ".join(m for errors in self.form.errors.values() for m in errors)
        return ""

    @property
    def problem_anchor(self) -> str:
        """The first field with an error (a radio group has no single id: the question)."""
        if self.form is not None and self.form.is_bound:
            for bound in self.form:
                if bound.errors and bound.id_for_label:
                    return bound.id_for_label
        return f"vraag-{self.key}"


@dataclass
class SectionBlock(OfSection):
    section: dict
    rows: list = field(default_factory=list)
    score: float | None = None  # of a submitted checklist (scoring.py)
    suggestions: list = field(default_factory=list)  # next steps when the score is low

    @property
    def percent_score(self):
        return scoring.percent(self.score)

    @property
    def is_low(self) -> bool:
        return scoring.is_low(self.score)

    @property
    def n_answered(self) -> int:
        return sum(1 for row in self.rows if row.is_given)

    @property
    def n_questions(self) -> int:
        return len(self.rows)

    @property
    def percent(self) -> int:
        return round(100 * self.n_answered / self.n_questions) if self.rows else 0


def answers_of(assignment) -> dict[str, Answer]:
    return {a.question_key: a for a in assignment.answers.select_related("answered_by")}


def section_blocks(assignment, answers=None) -> list[SectionBlock]:
    """The page's sections from the version the assignment was given in: an old response
    reads the words it was answered in, whatever the template says now."""
    answers = answers_of(assignment) if answers is None else answers
    return [
        SectionBlock(
            section=section,
            rows=[QuestionRow(question=q, answer=answers.get(q.key)) for q in section["questions"]],
        )
        for section in assignment.template_version.sections
    ]


def add_results(assignment, blocks, *, closed: bool) -> None:
    """The review side of the page: each row's remark; for a submitted checklist each
    section's score, and for a low one the tips and measures its questions link to."""
    remarks = remarks_of(assignment)
    for block in blocks:
        for row in block.rows:
            row.remark = remarks.get(row.key)
    if not closed:
        return
    values = {row.key: row.answer.value for block in blocks for row in block.rows if row.answer}
    version = assignment.template_version
    items, measures = linked_content([version])
    suggestions = suggestions_for(version.sections, items, measures)
    for block in blocks:
        block.score = scoring.section_score(block.section["questions"], values)
        block.suggestions = suggestions[block.key] if block.is_low else []


def unanswered(blocks) -> list[QuestionRow]:
    return [row for block in blocks for row in block.rows if not row.is_given]


# --- review and roll-up -----------------------------------------------------------------


def remarks_of(assignment) -> dict:
    """Question key -> the coordinator's remark (everyone who sees the checklist reads them)."""
    return {r.question_key: r for r in assignment.remarks.select_related("by")}


def rollup_regions(user) -> frozenset:
    """Roll-ups: the coordinator for his regions, the manager (read only) for his
    institution's; a school leader, a begeleider and the admin have none (404)."""
    scope = get_scope(user)
    return scope.coordinator_regions | scope.manager_regions


def rollup_templates(user):
    """The templates with an assignment in the user's roll-up regions."""
    regions = rollup_regions(user)
    return ChecklistTemplate.objects.filter(versions__assignments__region_id__in=regions).distinct()


@dataclass
class RollupSelection:
    template: ChecklistTemplate
    regions: list  # the regions the user may pick from
    swvs: list  # the SWVs of those regions
    region: object = None  # the chosen ?regio=
    swv: object = None  # the chosen ?swv=

    @property
    def region_ids(self):
        return [self.region.pk] if self.region else [r.pk for r in self.regions]

    def assignments(self):
        qs = Assignment.objects.filter(
            template_version__template=self.template, region_id__in=self.region_ids
        )
        if self.swv:
            qs = qs.filter(school__swv=self.swv)
        return qs

    @property
    def single_region(self):
        """The one region this roll-up is about (for a werkagenda action), or None."""
        if self.region:
            return self.region
        return self.regions[0] if len(self.regions) == 1 else None

    @property
    def query(self) -> str:
        parts = []
        if self.region:
            parts.append(f"regio={self.region.pk}")
        if self.swv:
            parts.append(f"swv={self.swv.pk}")
        return "&".join(parts)


def get_rollup_selection(user, slug, *, regio="", swv="") -> RollupSelection:
    """The template and the filters of a roll-up page; 404 for a role without roll-ups,
    an unknown template, or a region or SWV outside the user's regions."""
    region_ids = rollup_regions(user)
    if not region_ids:
        raise Http404
    template = ChecklistTemplate.objects.filter(slug=slug, versions__isnull=False).first()
    if template is None:
        raise Http404
    regions = list(Region.objects.filter(pk__in=region_ids).order_by("name"))
    selection = RollupSelection(template=template, regions=regions, swvs=[])
    if regio:
        selection.region = _pick(regions, regio)
    swvs = (
        Samenwerkingsverband.objects.filter(regions__in=selection.region_ids)
        .distinct()
        .order_by("name")
    )
    selection.swvs = list(swvs)
    if swv:
        selection.swv = _pick(selection.swvs, swv)
    return selection


def _pick(objects, raw):
    for obj in objects:
        if str(obj.pk) == str(raw).strip():
            return obj
    raise Http404
