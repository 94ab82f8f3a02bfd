"""The roll-up of one template over the schools of a selection (regions, or one SWV).

Per school three assignments count: the latest one of any status (is it started, is it
late), its *result*: the latest submitted or reviewed one (answers still being given are
a draft and do not count), and the *previous round*: the closed one before the result.
The distributions, section scores and means are over the results; a school's section
score is computed in the version it answered (scoring.py). The comparison with the
previous round uses only the question keys present in both versions.

Queries do not grow with the number of schools: the assignments, all their answers,
and the toolkit items and measures the template links to are each read once.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import mean

from django.utils.translation import gettext as _

from toolkit.models import Measure, ToolkitItem

from . import scoring
from .models import Answer, Assignment

CLOSED = (Assignment.Status.SUBMITTED, Assignment.Status.REVIEWED)


@dataclass
class Suggestion:
    """A toolkit tip or a werkagenda measure a low section's questions link to."""

    kind: str  # "tip" or "maatregel"
    ref: str  # slug or code
    title: str
    can_become_action: bool = True

    @property
    def kind_label(self):
        return _("tip uit de toolkit") if self.kind == "tip" else _("werkagendamaatregel")


def suggestions_for(sections, items, measures) -> dict[str, list[Suggestion]]:
    """Section key -> the tips and measures of its questions, each once, in order."""
    found = {}
    for section in sections:
        rows, seen = [], set()
        for question in section["questions"]:
            for slug in question.toolkit_items:
                item = items.get(slug)
                if item and ("tip", slug) not in seen:
                    seen.add(("tip", slug))
                    rows.append(Suggestion("tip", slug, item.title, bool(item.line_numbers)))
            for code in question.measures:
                measure = measures.get(code)
                if measure and ("maatregel", code) not in seen:
                    seen.add(("maatregel", code))
                    rows.append(Suggestion("maatregel", code, f"{code} {measure.title}"))
        found[section["key"]] = rows
    return found


def linked_content(versions):
    """The toolkit items (slug ->, with `line_numbers`) and measures (code ->) that the
    questions of these versions link to: two queries (three with the items' lines)."""
    slugs, codes = set(), set()
    for version in versions:
        for question in version.questions.values():
            slugs.update(question.toolkit_items)
            codes.update(question.measures)
    items = {}
    for item in ToolkitItem.objects.filter(slug__in=slugs).prefetch_related("lines"):
        item.line_numbers = sorted(line.number for line in item.lines.all())
        items[item.slug] = item
    measures = {m.code: m for m in Measure.objects.filter(code__in=codes)}
    return items, measures


def section_scores(version, values) -> dict[str, float | None]:
    return {
        section["key"]: scoring.section_score(section["questions"], values)
        for section in version.sections
    }


@dataclass
class Comparison:
    section_key: str
    title: str
    now: float | None
    before: float | None

    @property
    def change(self):
        if self.now is None or self.before is None:
            return None
        return self.now - self.before


def compare_rounds(result, result_values, previous, previous_values) -> dict[str, Comparison]:
    """Per section of the result's version: its score now and in the previous round, both
    over the questions whose key is in both versions (a question that was added or
    dropped in between does not count on either side)."""
    now_questions = result.template_version.questions
    before_questions = previous.template_version.questions
    common = set(now_questions) & set(before_questions)
    comparison = {}
    for section in result.template_version.sections:
        keys = {q.key for q in section["questions"]} & common
        comparison[section["key"]] = Comparison(
            section_key=section["key"],
            title=section["title"],
            now=scoring.section_score(section["questions"], result_values, keys),
            before=scoring.section_score(
                [before_questions[k] for k in sorted(keys)], previous_values
            ),
        )
    return comparison


@dataclass
class SchoolRow:
    school: object
    current: Assignment
    result: Assignment | None = None
    previous: Assignment | None = None
    values: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)
    comparison: dict = field(default_factory=dict)

    @property
    def not_started(self) -> bool:
        return self.current.status == Assignment.Status.ASSIGNED

    @property
    def is_late(self) -> bool:
        return self.current.is_late

    def score(self, section_key):
        return self.scores.get(section_key)


@dataclass
class OptionCount:
    value: str
    label: str
    n: int


@dataclass
class QuestionDistribution:
    question: object
    options: list  # OptionCount, in the order of the question's choices
    n_unanswered: int

    @property
    def n_answered(self):
        return sum(o.n for o in self.options)


class OfSection:
    """What a page shows about one section (a dict of TemplateVersion.sections): the
    roll-up's summary and the fill-in page's block read its key and title here."""

    section: dict

    @property
    def key(self):
        return self.section["key"]

    @property
    def title(self):
        return self.section["title"]


@dataclass
class SectionSummary(OfSection):
    section: dict
    mean: float | None
    low_schools: list  # (SchoolRow, score)
    suggestions: list
    distributions: list

    @property
    def is_low(self):
        return scoring.is_low(self.mean) or bool(self.low_schools)


@dataclass
class Rollup:
    template: object
    version: object  # the template's latest version: its sections and questions lead
    rows: list
    sections: list

    @property
    def results(self):
        return [row for row in self.rows if row.result]

    @property
    def not_started(self):
        return [row for row in self.rows if row.not_started]

    @property
    def late(self):
        return [row for row in self.rows if row.is_late]

    @property
    def compared(self):
        return [row for row in self.rows if row.comparison]

    @property
    def section_titles(self) -> dict:
        return {s.key: s.title for s in self.sections}

    @property
    def low_sections(self):
        return [s for s in self.sections if s.is_low]


def build_rollup(template, assignments) -> Rollup:
    """The roll-up of `template` over `assignments` (a queryset of its assignments in the
    user's selection)."""
    version = template.latest_version()
    by_school = defaultdict(list)
    ordered = assignments.select_related("school__swv", "region", "template_version").order_by(
        "school__name", "school_id", "-created_at", "-pk"
    )
    for assignment in ordered:
        by_school[assignment.school_id].append(assignment)
    rows = []
    for history in by_school.values():
        closed = [a for a in history if a.status in CLOSED]
        rows.append(
            SchoolRow(
                school=history[0].school,
                current=history[0],
                result=closed[0] if closed else None,
                previous=closed[1] if len(closed) > 1 else None,
            )
        )
    wanted = [a.pk for row in rows for a in (row.result, row.previous) if a]
    values = defaultdict(dict)
    for assignment_id, key, value in (
        Answer.objects.filter(assignment_id__in=wanted)
        .values_list("assignment_id", "question_key", "value")
        .iterator()
    ):
        values[assignment_id][key] = value
    for row in rows:
        if not row.result:
            continue
        row.values = values[row.result.pk]
        row.scores = section_scores(row.result.template_version, row.values)
        if row.previous:
            row.comparison = compare_rounds(
                row.result, row.values, row.previous, values[row.previous.pk]
            )
    items, measures = linked_content([version])
    suggestions = suggestions_for(version.sections, items, measures)
    sections = []
    for section in version.sections:
        key = section["key"]
        scored = [(row, row.score(key)) for row in rows if row.score(key) is not None]
        sections.append(
            SectionSummary(
                section=section,
                mean=mean(s for _r, s in scored) if scored else None,
                low_schools=[(row, s) for row, s in scored if scoring.is_low(s)],
                suggestions=suggestions[key],
                distributions=[
                    distribution(q, [row for row in rows if row.result])
                    for q in section["questions"]
                    if scoring.is_scored(q)
                ],
            )
        )
    return Rollup(template=template, version=version, rows=rows, sections=sections)


def distribution(question, rows) -> QuestionDistribution:
    """How many schools gave each answer (by key; an answer that is not a choice of the
    latest version, after a scale changed, is left out of the counts)."""
    counts = Counter(row.values.get(question.key, "") for row in rows)
    options = [OptionCount(value, str(label), counts[value]) for value, label in question.choices]
    return QuestionDistribution(question=question, options=options, n_unanswered=counts.get("", 0))
