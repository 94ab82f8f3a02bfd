"""Writes that carry rules: placement steps, enrolment and what follows it, logging."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.versioning import bump_version, lock_current

from . import models
from .audit import log_list  # noqa: F401  (pupil pages call services.log_list)


def _check_step_order(case, step, on):
    """A step cannot happen before the step it builds on (TLV and transport may go
    either way)."""
    if not step.after:
        return
    earlier_step = models.PLACEMENT_STEP[step.after]
    earlier = getattr(case, earlier_step.date_field)
    if earlier and on < earlier:
        raise ValidationError(
            _("Deze datum ligt vóór de stap '%(step)s' (%(date)s).")
            % {
                "step": models.PlacementCase.Status(earlier_step.status).label,
                "date": earlier.strftime("%d-%m-%Y"),
            }
        )


def _check_step_date(on):
    if on.year < models.EARLIEST_YEAR:
        raise ValidationError(
            _("Een datum vóór %(year)s kan niet kloppen.") % {"year": models.EARLIEST_YEAR}
        )
    if on > timezone.localdate():
        raise ValidationError(
            _("Een stap wordt vastgelegd als hij gedaan is; deze datum ligt in de toekomst.")
        )


@transaction.atomic
def set_step(
    *, case: models.PlacementCase, step: str, on: date, user=None, version=None, **data
) -> models.PlacementCase:
    """Record one step of a placement. "enrolled" is refused while the TLV, the
    transport or the receiving school is unsettled, with a message naming which.

    `version` is the placement's version the step form was loaded with: if the
    placement was saved since, regions.versioning.ConflictError. Callers without a
    form (demo, tests) pass None and only bump the version.
    """
    step = models.PLACEMENT_STEP.get(step)
    if step is None:
        raise ValidationError(_("Onbekende stap."))
    if version is not None:
        lock_current(case, version)
        case.version = version + 1
    else:
        bump_version(case)
    if case.cancelled:
        raise ValidationError(_("Deze plaatsing is gestopt."))
    _check_step_date(on)
    _check_step_order(case, step, on)
    refused = step.refused(case)
    if refused:
        raise ValidationError(refused)
    for name, value in (step.data(case, data) if step.data else {}).items():
        setattr(case, name, value)
    setattr(case, step.date_field, on)
    case.save()
    if step.key == "enrolled":
        case.follow_up = _after_enrolment(case)
    return case


def _after_enrolment(case: models.PlacementCase) -> list:
    """The pupil is at the new school: move the duty of care without a gap, end the
    (v)so education and start the ambulant support that follows, and plan the
    follow-up check-ins. Returns what was done, as Dutch sentences."""
    pupil = case.pupil
    school = case.to_school
    pupil.current_school = school
    pupil.current_location = None
    bump_version(pupil)  # a pupil form loaded before enrolment may not undo the move
    pupil.save(update_fields=["current_school", "current_location", "updated_at", "version"])
    if school.bestuur_id:
        transfer_duty_of_care(pupil=pupil, bestuur=school.bestuur, start=case.enrolled_on)
    for months in models.checkin_months():
        models.CheckIn.objects.get_or_create(
            pupil=pupil,
            placement=case,
            months_after=months,
            defaults={"due_date": models.add_months(case.enrolled_on, months)},
        )
    return end_special_education(case)


def end_special_education(case: models.PlacementCase) -> list:
    """Enrolment at a regular school ends the onderwijsarrangement: the open (v)so
    arrangement and the CvO decision it rests on end the day before enrolment, and an
    ambulant arrangement at the new school starts on the enrolment day with the same
    begeleiders. Done in the enrolment's transaction (not left to a second form) so
    the figures never count the pupil twice; the placement page lists it to check."""
    pupil, on = case.pupil, case.enrolled_on
    day_before = on - timedelta(days=1)
    done = []
    running = Q(end__isnull=True) | Q(end__gte=on)
    begeleiders = set()
    ended = {"d": day_before.strftime("%d-%m-%Y")}
    to_end = [
        (
            models.Arrangement.objects.filter(
                running, pupil=pupil, setting=models.Arrangement.Setting.VSO, start__lt=on
            ),
            _("Het (v)so-arrangement is beëindigd op %(d)s.") % ended,
        ),
        (
            models.CvoBesluit.objects.filter(
                pupil=pupil, kind=models.CvoBesluit.Kind.ONDERWIJS, start__lt=on, end__gte=on
            ),
            _("Het CvO-besluit onderwijsarrangement is beëindigd op %(d)s.") % ended,
        ),
    ]
    for queryset, message in to_end:
        for record in queryset.select_for_update():
            if isinstance(record, models.Arrangement):
                begeleiders.update(record.begeleiders.all())
            record.end = day_before
            bump_version(record)
            record.save()
            done.append(message)
    ambulant_running = models.Arrangement.objects.filter(
        running, pupil=pupil, setting=models.Arrangement.Setting.AMBULANT, start__lte=on
    ).exists()
    if done and not ambulant_running:
        ambulant = models.Arrangement.objects.create(
            region=pupil.region,
            scope=models.Arrangement.Scope.INDIVIDUAL,
            setting=models.Arrangement.Setting.AMBULANT,
            pupil=pupil,
            school=case.to_school,
            start=on,
        )
        ambulant.begeleiders.set(begeleiders)
        done.append(
            _(
                "Een ambulant arrangement bij %(school)s is gestart op %(d)s, met dezelfde "
                "begeleiders; vul de uren per week in."
            )
            % {"school": case.to_school.name, "d": on.strftime("%d-%m-%Y")}
        )
    return done


def transfer_duty_of_care(*, pupil: models.Pupil, start: date, bestuur=None, institution=None):
    """Close the running period the day before `start` and open the new one, so the
    duty of care passes on without a day in between."""
    running = pupil.duty_periods.filter(end__isnull=True, start__lt=start).first()
    if running:
        running.end = start - timedelta(days=1)
        running.save(update_fields=["end"])
    kind = (
        models.DutyOfCare.HolderKind.BOARD if bestuur else models.DutyOfCare.HolderKind.INSTITUTION
    )
    period, _created = models.DutyOfCare.objects.get_or_create(
        pupil=pupil,
        start=start,
        defaults={"holder_kind": kind, "bestuur": bestuur, "institution": institution},
    )
    return period


def log_view(*, user, pupil: models.Pupil, detail: str = "") -> models.AccessLog:
    return models.AccessLog.objects.create(
        user=user,
        action=models.AccessLog.Action.VIEW,
        pupil=pupil,
        region_id=pupil.region_id,
        detail=detail[:250],
    )


def log_access_request(*, user, pupil: models.Pupil) -> models.AccessLog:
    """An inzageverzoek: every stored fact about the pupil left the app as a PDF."""
    return models.AccessLog.objects.create(
        user=user,
        action=models.AccessLog.Action.ACCESS_REQUEST,
        pupil=pupil,
        region_id=pupil.region_id,
        detail=_("inzageverzoek (pdf)"),
    )


def log_export(*, user, region, count: int, with_names: bool, fmt: str) -> models.AccessLog:
    detail = _("%(n)s leerlingen, %(fmt)s, %(names)s") % {
        "n": count,
        "fmt": fmt.upper(),
        "names": _("met namen") if with_names else _("zonder namen"),
    }
    return models.AccessLog.objects.create(
        user=user, action=models.AccessLog.Action.EXPORT, region=region, detail=detail
    )
