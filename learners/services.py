"""Writes that carry rules: placement steps, enrolment and what follows it, logging."""

import json
from datetime import date, datetime, timedelta

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from regions.services import ImportPreview, stash, unstash
from regions.versioning import bump_version, lock_current

from .models import (
    EARLIEST_YEAR,
    AccessLog,
    Arrangement,
    CheckIn,
    CvoBesluit,
    DutyOfCare,
    PlacementCase,
    Pupil,
    add_months,
    checkin_months,
)

STEPS = (
    "options_explored",
    "school_identified",
    "tlv",
    "transport",
    "receiving_ready",
    "enrolled",
    "first_evaluation",
)


def join_dutch(items):
    """ "a, b en c" (or "a, b and c" in English)."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s en %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def enrolment_refusal(unsettled) -> str:
    return _(
        "Inschrijven kan nog niet: %(items)s %(verb)s nog niet geregeld. "
        "Regel dat eerst, zodat de leerling niet zonder vervoer, bekostiging of "
        "voorbereide school begint."
    ) % {"items": join_dutch(unsettled), "verb": _("is") if len(unsettled) == 1 else _("zijn")}


# A step cannot happen before the step it builds on (TLV and transport may go either way).
STEP_AFTER = {
    "school_identified": ("options_explored_on", _lazy("opties verkend")),
    "enrolled": ("school_identified_on", _lazy("school gevonden")),
    "first_evaluation": ("enrolled_on", _lazy("ingeschreven")),
}


def _check_step_order(case, step, on):
    if step not in STEP_AFTER:
        return
    field, label = STEP_AFTER[step]
    earlier = getattr(case, field)
    if earlier and on < earlier:
        raise ValidationError(
            _("Deze datum ligt vóór de stap '%(step)s' (%(date)s).")
            % {"step": label, "date": earlier.strftime("%d-%m-%Y")}
        )


def _check_step_date(on):
    if on.year < EARLIEST_YEAR:
        raise ValidationError(
            _("Een datum vóór %(year)s kan niet kloppen.") % {"year": EARLIEST_YEAR}
        )
    if on > timezone.localdate():
        raise ValidationError(
            _("Een stap wordt vastgelegd als hij gedaan is; deze datum ligt in de toekomst.")
        )


@transaction.atomic
def set_step(
    *, case: PlacementCase, step: str, on: date, user=None, version=None, **data
) -> PlacementCase:
    """Record one step of a placement. "enrolled" is refused while the TLV, the
    transport or the receiving school is unsettled, with a message naming which.

    `version` is the placement's version the step form was loaded with: if the
    placement was saved since, regions.versioning.ConflictError. Callers without a
    form (demo, tests) pass None and only bump the version.
    """
    if step not in STEPS:
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
    if step == "options_explored":
        case.options_explored_on = on
    elif step == "school_identified":
        to_school = data.get("to_school") or case.to_school
        if not to_school:
            raise ValidationError(_("Kies eerst de school die de leerling ontvangt."))
        case.to_school = to_school
        case.school_identified_on = on
    elif step == "tlv":
        needed = data.get("tlv_needed")
        if needed is None:
            raise ValidationError(_("Geef aan of een TLV nodig is."))
        if needed and not data.get("tlv_payer"):
            raise ValidationError(_("Geef aan wie de TLV betaalt."))
        case.tlv_needed = needed
        case.tlv_payer = data.get("tlv_payer", "") if needed else ""
        case.tlv_settled_on = on
    elif step == "transport":
        needed = data.get("transport_needed")
        if needed is None:
            raise ValidationError(_("Geef aan of vervoer nodig is."))
        decision = data.get("transport_decision", "") if needed else ""
        if needed and not decision:
            raise ValidationError(_("Vul het besluit van de gemeente over het vervoer in."))
        case.transport_needed = needed
        case.transport_gemeente = data.get("transport_gemeente") if needed else None
        case.transport_decision = decision
        case.transport_decided_on = on
    elif step == "receiving_ready":
        if not case.to_school_id:
            raise ValidationError(_("Kies eerst de school die de leerling ontvangt."))
        case.receiving_ready_on = on
    elif step == "enrolled":
        unsettled = case.can_enrol()
        if unsettled:
            raise ValidationError(enrolment_refusal(unsettled), code="unsettled")
        case.enrolled_on = on
        case.save()
        case.follow_up = _after_enrolment(case)
        return case
    elif step == "first_evaluation":
        if not case.enrolled_on:
            raise ValidationError(_("De eerste evaluatie komt na de inschrijving."))
        case.first_evaluation_on = on
    case.save()
    return case


def _after_enrolment(case: PlacementCase) -> list:
    """The pupil is at the new school: move the duty of care without a gap, end the
    (v)so education and start the ambulant support that follows, and plan the
    follow-up check-ins. Returns what was done, as Dutch sentences."""
    pupil = case.pupil
    school = case.to_school
    pupil.current_school = school
    pupil.current_location = None
    bump_version(pupil)  # a pupil form loaded before enrolment may not undo the move
    pupil.save(update_fields=["current_school", "current_location", "updated", "version"])
    if school.bestuur_id:
        transfer_duty_of_care(pupil=pupil, bestuur=school.bestuur, start=case.enrolled_on)
    for months in checkin_months():
        CheckIn.objects.get_or_create(
            pupil=pupil,
            placement=case,
            months_after=months,
            defaults={"due_date": add_months(case.enrolled_on, months)},
        )
    return end_special_education(case)


def end_special_education(case: PlacementCase) -> list:
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
    for arrangement in Arrangement.objects.select_for_update().filter(
        running, pupil=pupil, setting=Arrangement.Setting.VSO, start__lt=on
    ):
        begeleiders.update(arrangement.begeleiders.all())
        arrangement.end = day_before
        bump_version(arrangement)
        arrangement.save()
        done.append(
            _("Het (v)so-arrangement is beëindigd op %(d)s.")
            % {"d": day_before.strftime("%d-%m-%Y")}
        )
    for decision in CvoBesluit.objects.select_for_update().filter(
        pupil=pupil, kind=CvoBesluit.Kind.ONDERWIJS, start__lt=on, end__gte=on
    ):
        decision.end = day_before
        bump_version(decision)
        decision.save()
        done.append(
            _("Het CvO-besluit onderwijsarrangement is beëindigd op %(d)s.")
            % {"d": day_before.strftime("%d-%m-%Y")}
        )
    ambulant_running = Arrangement.objects.filter(
        running, pupil=pupil, setting=Arrangement.Setting.AMBULANT, start__lte=on
    ).exists()
    if done and not ambulant_running:
        ambulant = Arrangement.objects.create(
            region=pupil.region,
            scope=Arrangement.Scope.INDIVIDUAL,
            setting=Arrangement.Setting.AMBULANT,
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


def transfer_duty_of_care(*, pupil: Pupil, start: date, bestuur=None, institution=None):
    """Close the running period the day before `start` and open the new one, so the
    duty of care passes on without a day in between."""
    running = pupil.duty_periods.filter(end__isnull=True, start__lt=start).first()
    if running:
        running.end = start - timedelta(days=1)
        running.save(update_fields=["end"])
    kind = DutyOfCare.HolderKind.BOARD if bestuur else DutyOfCare.HolderKind.INSTITUTION
    period, _created = DutyOfCare.objects.get_or_create(
        pupil=pupil,
        start=start,
        defaults={"holder_kind": kind, "bestuur": bestuur, "institution": institution},
    )
    return period


def log_view(*, user, pupil: Pupil, detail: str = "") -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        action=AccessLog.Action.VIEW,
        pupil=pupil,
        region_id=pupil.region_id,
        detail=detail[:250],
    )


def log_list(*, user, pupils, detail: str) -> list:
    """A list page showed these pupils: one row per pupil, in one INSERT, so the log
    answers "who saw this pupil" for lists as it does for pupil pages."""
    seen = {}
    for pupil in pupils:
        seen.setdefault(pupil.pk, pupil.region_id)
    return AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            action=AccessLog.Action.LIST,
            pupil_id=pupil_id,
            region_id=region_id,
            detail=detail[:250],
        )
        for pupil_id, region_id in seen.items()
    )


def log_export(*, user, region, count: int, with_names: bool, fmt: str) -> AccessLog:
    detail = _("%(n)s leerlingen, %(fmt)s, %(names)s") % {
        "n": count,
        "fmt": fmt.upper(),
        "names": _("met namen") if with_names else _("zonder namen"),
    }
    return AccessLog.objects.create(
        user=user, action=AccessLog.Action.EXPORT, region=region, detail=detail
    )


# --- import: preview first, then everything or nothing ----------------------------

MAX_IMPORT_BYTES = 10 * 1024 * 1024


ImportOutcome = ImportPreview


def _import_columns(kind: str) -> list[str]:
    from .resources import IMPORT_COLUMNS

    return IMPORT_COLUMNS[kind]


def _plain(value) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _needed_only(dataset: tablib.Dataset, kind: str) -> tablib.Dataset:
    """Only the columns this import reads, as text: a column the coordinator left in the
    file (a diagnosis, a note) is neither imported nor kept while the preview waits."""
    keep = [name for name in _import_columns(kind) if name in dataset.headers]
    if kind == "leerlingen" and "code" not in keep:
        keep.append("code")
    out = tablib.Dataset(headers=keep)
    for row in dataset.dict:
        out.append([_plain(row.get(name)) for name in keep])
    return out


def _run_import(*, kind, dataset, region, dry_run, user=None):
    from .resources import IMPORT_KINDS

    resource = IMPORT_KINDS[kind][1](region=region)
    return resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        user=user,
    )


def preview_import(*, kind: str, raw: bytes, filename: str, region, user=None) -> ImportOutcome:
    """A dry run in a rolled-back transaction; the rows of a clean file are kept (only
    the columns the import reads) until the same user confirms or cancels."""
    from .resources import IMPORT_KINDS, ImportFileError, read_table

    if kind not in IMPORT_KINDS:
        raise ImportFileError(_("Onbekend soort gegevens."))
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("Het bestand is groter dan 10 MB."))
    dataset = _needed_only(read_table(raw, filename), kind)
    outcome = ImportOutcome(
        kind, _run_import(kind=kind, dataset=dataset, region=region, dry_run=True)
    )
    if not outcome.has_errors:
        kept = {"headers": dataset.headers, "rows": [list(row) for row in dataset]}
        outcome.token = stash(json.dumps(kept).encode(), user=user)
    return outcome


def confirm_import(*, kind: str, token: str, region, user) -> ImportOutcome:
    """Run the previewed rows for real; any row error rolls the whole file back."""
    from .resources import IMPORT_KINDS, ImportFileError

    if kind not in IMPORT_KINDS:
        raise ImportFileError(_("Onbekend soort gegevens."))
    kept = json.loads(unstash(token, user=user))
    dataset = tablib.Dataset(*[tuple(row) for row in kept["rows"]], headers=kept["headers"])
    with transaction.atomic():
        outcome = ImportOutcome(
            kind,
            _run_import(kind=kind, dataset=dataset, region=region, dry_run=False, user=user),
        )
        if outcome.has_errors:
            transaction.set_rollback(True)
    return outcome
