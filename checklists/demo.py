"""Demo checklists, two templates given to the demo region's partner schools.

The first: in progress at the demo school leader's school (Het Baken College), submitted
at one school (which also has an earlier, reviewed round, so the roll-up compares), late at
another, and reviewed with remarks at a fourth (low on the first section, so next steps
show). The second (partner-school readiness): submitted at two schools, just given to a
third. Idempotent: one assignment per (region, school, template version, message)."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from .loader import load_templates
from .models import Answer, Assignment, AssignmentEvent, ChecklistTemplate, Remark

# Until the shipped templates are in checklists/content/, the demo uses the tests' example.
EXAMPLE_DIR = Path(__file__).resolve().parents[1] / "tests" / "checklists" / "data"

PLAN = [
    # brin, status, days until due, answers given (question position -> value)
    ("99AA", Assignment.Status.IN_PROGRESS, 21, {0: "deels", 1: "2"}),
    ("99AB", Assignment.Status.SUBMITTED, 7, {0: "ja", 1: "3", 2: "ja"}),
    ("99AC", Assignment.Status.ASSIGNED, -10, {}),
    ("99AD", Assignment.Status.REVIEWED, -3, {0: "1", 1: "nee", 2: "nee", 3: "deels"}),
]
MESSAGE = "Graag invullen vóór het overleg met de regio (demo)."
# The earlier round of 99AB, half a year before: reviewed, lower than now.
EARLIER = ("99AB", Assignment.Status.REVIEWED, -180, {0: "nee", 1: "1", 2: "deels"})
EARLIER_MESSAGE = "Eerste ronde (demo)."
# The second template: the readiness of partner schools for cluster 2 pupils.
SECOND_SLUG = "partnerschool-gereedheid"
SECOND_PLAN = [
    ("99AB", Assignment.Status.SUBMITTED, 14, {0: "ja", 1: "deels", 2: "ja", 3: "nee"}),
    ("99AC", Assignment.Status.SUBMITTED, 14, {0: "deels", 1: "nee", 2: "nee"}),
    ("99AD", Assignment.Status.ASSIGNED, 30, {}),
]
SECOND_MESSAGE = "Hoe klaar is uw school voor leerlingen uit cluster 2? (demo)"
REMARKS = {
    "99AD": [
        (0, "Goed dat u dit eerlijk invult; laten we dit in het volgende overleg bespreken."),
        (1, "Kijk eens naar de tip uit de toolkit die hierbij staat."),
    ]
}


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
    version = _demo_version()
    if version is None:
        return context
    plan = [(*row, MESSAGE) for row in PLAN] + [(*EARLIER, EARLIER_MESSAGE)]
    _seed_plan(context, version, plan)
    second = ChecklistTemplate.objects.filter(slug=SECOND_SLUG, versions__isnull=False).first()
    if second is not None and second.pk != version.template_id:
        _seed_plan(
            context, second.latest_version(), [(*row, SECOND_MESSAGE) for row in SECOND_PLAN]
        )
    return {**context, "checklist_version": version}


def _seed_plan(context, version, plan):
    """Assign `version` to the schools of `plan` (brin, status, days until due, answers,
    message), each with its events, answers and remarks."""
    region, schools, users = context["region"], context["schools"], context["users"]
    coordinator, leader = users["coordinator"], users["schoolleider"]
    today = timezone.localdate()
    for brin, status, days, given, message in plan:
        school = schools.get(brin)
        if school is None:
            continue
        closed = status in (Assignment.Status.SUBMITTED, Assignment.Status.REVIEWED)
        assignment, created = Assignment.objects.get_or_create(
            region=region,
            school=school,
            template_version=version,
            message=message,
            defaults={
                "due_date": today + timedelta(days=days),
                "assigned_by": coordinator,
                "status": status,
                "submitted_at": timezone.now() + timedelta(days=days - 7) if closed else None,
            },
        )
        if not created:
            continue
        if message == EARLIER_MESSAGE:
            # The earlier round: made half a year ago, so it is the previous round.
            Assignment.objects.filter(pk=assignment.pk).update(
                created_at=timezone.now() + timedelta(days=days - 30)
            )
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
        if closed:
            AssignmentEvent.objects.create(
                assignment=assignment, kind=AssignmentEvent.Kind.SUBMITTED
            )
        if status == Assignment.Status.REVIEWED:
            AssignmentEvent.objects.create(
                assignment=assignment, kind=AssignmentEvent.Kind.REVIEWED, by=coordinator
            )
        keys = list(version.questions)
        for position, text in REMARKS.get(brin, []) if message == MESSAGE else []:
            if position < len(keys):
                Remark.objects.create(
                    assignment=assignment, question_key=keys[position], text=text, by=coordinator
                )
