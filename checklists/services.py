"""Writes: assigning a checklist, saving one answer, submitting and reopening; the
coordinator's review (remarks, reviewed, building answers into the school) and a
werkagenda action from a suggested next step."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regions.models import Region, Role, RoleAssignment, School
from regions.numbers import plain_int
from toolkit.models import Measure, RegionAction, ToolkitItem

from .models import (
    SCHOOL_FIELD_STEPS,
    SCHOOL_FIELDS,
    Answer,
    Assignment,
    AssignmentEvent,
    Remark,
    TemplateVersion,
    clean_note,
)


class AnswerConflict(Exception):
    """Someone else saved this question after the page was loaded: nothing was saved and
    `current` is the answer as it is now."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            _(
                "Iemand anders van uw school heeft deze vraag intussen beantwoord. Uw antwoord "
                "is niet opgeslagen. Hieronder staat het huidige antwoord; wat u invulde staat "
                "nog in het formulier. Kies 'Mijn antwoord opslaan' om het huidige antwoord "
                "te vervangen."
            )
        )


class RemarkConflict(Exception):
    """Another coordinator saved this remark after the page was loaded: nothing was saved
    and `current` is the remark as it is now (None: removed)."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            _(
                "Iemand anders heeft deze opmerking intussen gewijzigd. Uw opmerking is niet "
                "opgeslagen. Hierboven staat de huidige opmerking; wat u typte staat nog in het "
                "formulier. Sla opnieuw op om de huidige opmerking te vervangen."
            )
        )


LOCKED = gettext_lazy(
    "Deze checklist is ingediend en kan niet meer worden gewijzigd, tenzij de coördinator "
    "hem heropent."
)


# A checklist the coordinator can review, reopen or take the building answers from.
REVIEWABLE = (Assignment.Status.SUBMITTED, Assignment.Status.REVIEWED)


class NotOpen(ValidationError):
    """The checklist was submitted: read-only until the coordinator reopens it."""


def school_leaders(school):
    """Users who lead `school` now (roles in force)."""
    return [
        ra.user
        for ra in RoleAssignment.objects.in_force()
        .filter(role=Role.SCHOOLLEIDER, school=school)
        .select_related("user")
    ]


logger = logging.getLogger(__name__)


def assign_checklist(*, page_url=None, **fields) -> list[Assignment]:
    """One assignment per school, all or none; once they are committed, the school
    leaders get an e-mail. `page_url(assignment)` gives the link in the e-mail. A mail
    that cannot be sent is logged and marks its assignment `mail_failed`, so the page can
    say so; the assignments stay."""
    made = _create_assignments(**fields)
    _mail_leaders(made, page_url)
    return made


@transaction.atomic
def _create_assignments(
    *,
    region: Region,
    version: TemplateVersion,
    schools: list[School],
    due_date: datetime.date,
    message: str,
    assigned_by,
) -> list[Assignment]:
    made = []
    for school in schools:
        assignment = Assignment.objects.create(
            region=region,
            template_version=version,
            school=school,
            due_date=due_date,
            message=message,
            assigned_by=assigned_by,
        )
        AssignmentEvent.objects.create(
            assignment=assignment, kind=AssignmentEvent.Kind.ASSIGNED, by=assigned_by
        )
        assignment.mail_failed = False
        made.append(assignment)
    return made


def leader_emails(school) -> list[str]:
    """Where the assignment e-mail for `school` goes: its leaders with an address."""
    return [u.email for u in school_leaders(school) if u.email]


def _mail_leaders(assignments, page_url):
    for assignment in assignments:
        recipients = leader_emails(assignment.school)
        if not recipients:
            continue
        body = _(
            "Beste schoolleider,\n\n"
            "Voor %(school)s staat een checklist klaar in Route 2035: %(title)s.\n"
            "Graag invullen vóór %(due)s.\n\n%(message)s\n\n%(link)s\n"
        ) % {
            "school": assignment.school.name,
            "title": assignment.template_version.title,
            "due": assignment.due_date.strftime("%d-%m-%Y"),
            "message": assignment.message,
            "link": page_url(assignment) if page_url else "",
        }
        try:
            send_mail(
                _("Nieuwe checklist: %(title)s") % {"title": assignment.template_version.title},
                body,
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
        except Exception:  # SMTP down, refused, timed out: the assignment stands
            logger.exception("Checklist mail for assignment %s not sent", assignment.pk)
            assignment.mail_failed = True


def _require_open(assignment):
    if not assignment.is_open:
        raise NotOpen(str(LOCKED))


@transaction.atomic
def save_answer(
    *,
    assignment: Assignment,
    question_key: str,
    version: int,
    value: str,
    evidence_note: str,
    evidence_link: str,
    comment: str,
    by,
) -> Answer:
    """Save one question's answer when `version` is the count the page was loaded with
    (0 for a question not answered yet); otherwise AnswerConflict with the answer now."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _require_open(locked)
    current = (
        Answer.objects.select_for_update()
        .filter(assignment=locked, question_key=question_key)
        .first()
    )
    if (current.version if current else 0) != version:
        raise AnswerConflict(current)
    answer = current or Answer(assignment=locked, question_key=question_key)
    answer.assignment = locked
    answer.value = value
    answer.evidence_note = evidence_note
    answer.evidence_link = evidence_link
    answer.comment = comment
    answer.answered_by = by
    answer.answered_at = timezone.now()
    answer.version = version + 1
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:
        # Two first answers at the same moment: the other one won.
        raise AnswerConflict(
            Answer.objects.get(assignment=locked, question_key=question_key)
        ) from None
    if locked.status == Assignment.Status.ASSIGNED:
        locked.status = Assignment.Status.IN_PROGRESS
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
    assignment.status = locked.status
    return answer


@transaction.atomic
def submit(*, assignment: Assignment, by) -> Assignment:
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _require_open(locked)
    locked.status = Assignment.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.version += 1
    locked.save()
    AssignmentEvent.objects.create(assignment=locked, kind=AssignmentEvent.Kind.SUBMITTED, by=by)
    return locked


@transaction.atomic
def reopen(*, assignment: Assignment, reason: str, by) -> Assignment:
    """A submitted checklist open again for the school, with the reason in its history."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status not in REVIEWABLE:
        raise ValidationError(_("Alleen een ingediende checklist kan worden heropend."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Schrijf waarom u de checklist heropent."))
    locked.status = Assignment.Status.REOPENED
    locked.version += 1
    locked.save()
    AssignmentEvent.objects.create(
        assignment=locked, kind=AssignmentEvent.Kind.REOPENED, reason=reason, by=by
    )
    return locked


# --- review ---------------------------------------------------------------------------


def _require_reviewable(assignment):
    if assignment.status not in REVIEWABLE:
        raise ValidationError(
            _("Opmerkingen en beoordelen kan pas als de school de checklist heeft ingediend.")
        )


@transaction.atomic
def save_remark(
    *, assignment: Assignment, question_key: str, text: str, by, version: int | None
) -> Remark | None:
    """The coordinator's remark on one question; an empty text removes it. `version` is
    the remark's version the page was loaded with (0: none yet); otherwise RemarkConflict."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _require_reviewable(locked)
    if question_key not in locked.template_version.questions:
        raise ValidationError(_("Deze vraag staat niet in deze checklist."))
    text = clean_note(text, what=_("De opmerking"))
    current = Remark.objects.filter(assignment=locked, question_key=question_key).first()
    if (current.version if current else 0) != version:
        raise RemarkConflict(current)
    if not text:
        if current:
            current.delete()
        return None
    remark = current or Remark(assignment=locked, question_key=question_key)
    remark.text = text
    remark.by = by
    remark.version = version + 1
    remark.save()
    return remark


@transaction.atomic
def mark_reviewed(*, assignment: Assignment, by) -> Assignment:
    """A submitted checklist marked as reviewed; the coordinator can still reopen it."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status != Assignment.Status.SUBMITTED:
        raise ValidationError(
            _("Alleen een ingediende checklist kan als beoordeeld worden gemarkeerd.")
        )
    locked.status = Assignment.Status.REVIEWED
    locked.version += 1
    locked.save()
    AssignmentEvent.objects.create(assignment=locked, kind=AssignmentEvent.Kind.REVIEWED, by=by)
    return locked


# --- building answers into the school's suitability fields ---------------------------


@dataclass
class BuildingChange:
    field: str
    label: str
    before: str  # the labels, as the page shows them
    after: str
    value: str  # what is written into the field

    @property
    def changes(self) -> bool:
        return self.before != self.after


def building_changes(assignment: Assignment, school=None) -> list[BuildingChange]:
    """What accepting the building answers would write: per answered school_field question
    the school's field now and the value its step maps to (models.SCHOOL_FIELD_STEPS)."""
    school = school or assignment.school
    values = dict(assignment.answers.values_list("question_key", "value"))
    changes = []
    for question in assignment.template_version.questions.values():
        if question.school_field not in SCHOOL_FIELDS:
            continue
        value = values.get(question.key, "")
        step = plain_int(value)
        if step is None or not 1 <= step <= len(SCHOOL_FIELD_STEPS):
            continue
        field = School._meta.get_field(question.school_field)
        before = getattr(school, question.school_field)
        after = SCHOOL_FIELD_STEPS[step - 1]
        choices = dict(field.choices)
        changes.append(
            BuildingChange(
                field=question.school_field,
                label=str(field.verbose_name),
                before=str(choices.get(before, before)),
                after=str(choices.get(after, after)),
                value=str(after),
            )
        )
    return changes


@transaction.atomic
def accept_building_answers(*, assignment: Assignment, by) -> list[BuildingChange]:
    """Write the building answers into the school's own fields (no second copy is kept):
    the school row is locked, saved through the model (so the audit trail records the
    change from -> to) and the assignment's history says what changed."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _require_reviewable(locked)
    school = School.objects.select_for_update().get(pk=locked.school_id)
    changes = [c for c in building_changes(locked, school) if c.changes]
    if not changes:
        return []
    for change in changes:
        setattr(school, change.field, change.value)
    school.save(update_fields=[c.field for c in changes])
    AssignmentEvent.objects.create(
        assignment=locked,
        kind=AssignmentEvent.Kind.BUILDING,
        reason="; ".join(f"{c.label}: {c.before} → {c.after}" for c in changes),
        by=by,
    )
    return changes


# --- next steps: a werkagenda action from a suggested tip or measure -----------------


def suggestion_action_fields(kind: str, ref: str) -> dict:
    """Line, measure and title of a werkagenda action made from a toolkit tip (by slug)
    or a werkagenda measure (by code); a Dutch ValidationError when there is none."""
    if kind == "maatregel":
        measure = Measure.objects.select_related("line").filter(code=ref).first()
        if measure is None:
            raise ValidationError(_("Deze maatregel bestaat niet (meer)."))
        return {"line": measure.line, "measure": measure, "title": measure.title[:200]}
    if kind == "tip":
        item = ToolkitItem.objects.filter(slug=ref).first()
        if item is None:
            raise ValidationError(_("Deze tip bestaat niet (meer)."))
        line = item.lines.order_by("number").first()
        if line is None:
            raise ValidationError(
                _("Deze tip hoort bij geen werkagendalijn; maak de actie zelf in de werkagenda.")
            )
        return {"line": line, "measure": None, "title": item.title[:200]}
    raise ValidationError(_("Kies een tip of een maatregel."))


class ActionExists(Exception):
    """An action from this suggestion for these schools is already in the werkagenda."""

    def __init__(self, action):
        self.action = action
        super().__init__(action.title)


def existing_suggestion_action(region, schools, fields) -> RegionAction | None:
    """The region's action made from the same tip or measure (same line, measure and
    title) for exactly these schools, if there is one."""
    wanted = {school.pk for school in schools}
    candidates = RegionAction.objects.filter(
        region=region, line=fields["line"], measure=fields["measure"], title=fields["title"]
    ).prefetch_related("schools")
    for action in candidates:
        if {school.pk for school in action.schools.all()} == wanted:
            return action
    return None


@transaction.atomic
def create_action_from_suggestion(
    *, region, schools, kind: str, ref: str, goal: str, by
) -> RegionAction:
    """One werkagenda action for the region, linked to the school(s) the suggestion came
    from. The toolkit's model rules (RegionAction.clean) apply as in the werkagenda. A
    second click makes no second action: ActionExists names the one there is."""
    fields = suggestion_action_fields(kind, ref)
    # Lock the region row so two clicks at once cannot both find no action.
    Region.objects.select_for_update().filter(pk=region.pk).first()
    existing = existing_suggestion_action(region, schools, fields)
    if existing is not None:
        raise ActionExists(existing)
    action = RegionAction(region=region, goal=goal[:2000], **fields)
    action.full_clean()
    action.save()
    action.schools.set(schools)
    return action
