"""Writes: assigning a checklist, saving one answer, submitting and reopening."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regions.models import Region, Role, RoleAssignment, School

from .models import Answer, Assignment, AssignmentEvent, TemplateVersion


class AnswerConflict(Exception):
    """Someone else saved this question after the page was loaded: nothing was saved and
    `current` is the answer as it is now."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            _(
                "Iemand anders van uw school heeft deze vraag intussen beantwoord. Uw antwoord "
                "is niet opgeslagen. Hieronder staat het huidige antwoord; wat u invulde staat "
                "nog in het formulier. Sla opnieuw op om het te vervangen."
            )
        )


LOCKED = gettext_lazy(
    "Deze checklist is ingediend en kan niet meer worden gewijzigd, tenzij de coördinator "
    "hem heropent."
)


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


@transaction.atomic
def assign_checklist(
    *,
    region: Region,
    version: TemplateVersion,
    schools: list[School],
    due_date: datetime.date,
    message: str,
    assigned_by,
    page_url=None,
) -> list[Assignment]:
    """One assignment per school; its school leaders get an e-mail once the assignments
    are saved. `page_url(assignment)` gives the link in the e-mail."""
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
        made.append(assignment)
    transaction.on_commit(lambda: _mail_leaders(made, page_url))
    return made


def _mail_leaders(assignments, page_url):
    for assignment in assignments:
        recipients = [u.email for u in school_leaders(assignment.school) if u.email]
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
        send_mail(
            _("Nieuwe checklist: %(title)s") % {"title": assignment.template_version.title},
            body,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )


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
    if locked.status != Assignment.Status.SUBMITTED:
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
