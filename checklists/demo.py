"""Demo checklists: one template given to the demo region's partner schools, in progress
at the demo school leader's school (Het Baken College), submitted at one school and late
at another. Idempotent: one assignment per (region, school, template version)."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from .loader import load_templates
from .models import Answer, Assignment, AssignmentEvent, ChecklistTemplate

# Until the shipped templates are in checklists/content/, the demo uses the tests' example.
EXAMPLE_DIR = Path(__file__).resolve().parents[1] / "tests" / "checklists" / "data"

PLAN = [
    # brin, status, days until due, answers given (question position -> value)
    ("99AA", Assignment.Status.IN_PROGRESS, 21, {0: "deels", 1: "2"}),
    ("99AB", Assignment.Status.SUBMITTED, 7, {0: "ja", 1: "3", 2: "ja"}),
    ("99AC", Assignment.Status.ASSIGNED, -10, {}),
]


def _demo_version():
    load_templates()
    template = (
        ChecklistTemplate.objects.filter(audience="schoolleider", versions__isnull=False)
        .order_by("slug")
        .first()
    )
    if template is None and EXAMPLE_DIR.is_dir():
        load_templates(EXAMPLE_DIR)
        template = ChecklistTemplate.objects.filter(versions__isnull=False).first()
    return template.latest_version() if template else None


def _first_choice_answers(version, given):
    """Answers by position; a value that does not fit the question becomes its first
    choice (or a short text), so the demo works with any template."""
    questions = list(version.questions.values())
    for position, value in given.items():
        if position >= len(questions):
            continue
        question = questions[position]
        choices = dict(question.choices)
        if choices:
            yield question.key, value if value in choices else next(iter(choices))
        elif question.type in ("short_text", "long_text"):
            yield question.key, "Besproken in het team (demo)."


def seed(context=None):
    context = context or {}
    region, schools, users = context["region"], context["schools"], context["users"]
    version = _demo_version()
    if version is None:
        return context
    coordinator, leader = users["coordinator"], users["schoolleider"]
    today = timezone.localdate()
    for brin, status, days, given in PLAN:
        school = schools.get(brin)
        if school is None:
            continue
        assignment, created = Assignment.objects.get_or_create(
            region=region,
            school=school,
            template_version=version,
            defaults={
                "due_date": today + timedelta(days=days),
                "message": "Graag invullen vóór het overleg met de regio (demo).",
                "assigned_by": coordinator,
                "status": status,
                "submitted_at": timezone.now() if status == Assignment.Status.SUBMITTED else None,
            },
        )
        if not created:
            continue
        AssignmentEvent.objects.create(
            assignment=assignment, kind=AssignmentEvent.Kind.ASSIGNED, by=coordinator
        )
        for key, value in _first_choice_answers(version, given):
            Answer.objects.create(
                assignment=assignment,
                question_key=key,
                value=value,
                answered_by=leader if brin == "99AA" else None,
                version=1,
            )
        if status == Assignment.Status.SUBMITTED:
            AssignmentEvent.objects.create(
                assignment=assignment, kind=AssignmentEvent.Kind.SUBMITTED
            )
    return {**context, "checklist_version": version}
