"""Writes over more than one model of initiatives."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Initiative, InitiativeStatus, StatusChange

# --- initiatives ----------------------------------------------------------------------


def move_status(*, initiative, to_status, reason, user) -> StatusChange:
    """Move the initiative to `to_status` and write who, when and why, in one transaction:
    both or neither. Refuses an unknown status, the status it already has, and no reason."""
    reason = (reason or "").strip()
    errors = {}
    if to_status not in InitiativeStatus.values:
        errors["to_status"] = _("Kies een status uit de lijst.")
    if not reason:
        errors["reason"] = _("Geef een reden voor de nieuwe status.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if current.status == to_status:
            raise ValidationError(
                {"to_status": _("Het initiatief heeft deze status al; kies een andere.")}
            )
        change = StatusChange.objects.create(
            initiative=current,
            from_status=current.status,
            to_status=to_status,
            reason=reason,
            changed_by=user,
        )
        current.status = to_status
        # Forms loaded before this move are stale now (regions/versioning.py).
        current.version += 1
        current.save(update_fields=["status", "version", "updated_at"])
    initiative.status, initiative.version = current.status, current.version
    return change


def create_initiative(*, form, region, user) -> Initiative:
    """Save a new initiative with its first history row ("idee"), in one transaction."""
    with transaction.atomic():
        initiative = form.save(commit=False)
        initiative.region = region
        initiative.save()
        form.save_m2m()
        StatusChange.objects.create(
            initiative=initiative,
            from_status="",
            to_status=initiative.status,
            reason=_("Initiatief vastgelegd."),
            changed_by=user,
        )
    return initiative


# --- transition plans ---


from learners.audit import log_list  # noqa: E402

from .models import BoardQuestion, Milestone, TransitionPlan  # noqa: E402

# The questions the regional boards asked of the Auris closure, in our own words: every
# new plan starts with them, so the plan answers them before the region has to ask.
BOARD_QUESTIONS = [
    (
        "Welke scenario's zijn er om deze leerlingen thuisnabij onderwijs te blijven bieden "
        "(een dekkend aanbod), en welke ondersteuning vraagt elk scenario van de scholen?",
        "SPVO/Zeeuwse besturen Oosterschelderegio, brief 4 april 2024 "
        "(Systeemevaluatie cluster 2, r. 2893-2911)",
    ),
    (
        "Hoe volgt de bekostiging de leerling: wie betaalt de TLV's en de ondersteuning "
        "wanneer leerlingen naar een school buiten cluster 2 gaan?",
        "SPVO-brief 4 april 2024 en 'Perspectief vanuit de Zeeuwse regio', 31 mei 2024 "
        "(Systeemevaluatie cluster 2, r. 2893-2911 en 3034-3065)",
    ),
    (
        "Wat is de tijdlijn en het plan voor de leerlingen die nu op de locatie zitten, en "
        "voor de leerlingen die zich zonder de sluiting zouden hebben aangemeld?",
        "SPVO-brief 4 april 2024 (Systeemevaluatie cluster 2, r. 2893-2911)",
    ),
    (
        "Is er een met de regio afgestemd veranderplan, met communicatie naar leerlingen, "
        "ouders, team en omliggende scholen, en één lijn vanuit de hele organisatie?",
        "SPVO-brief 4 april 2024 en 'Perspectief vanuit de Zeeuwse regio', 31 mei 2024 "
        "(Systeemevaluatie cluster 2, r. 2893-2911 en 3034-3065)",
    ),
]


@transaction.atomic
def create_transition_plan(*, location) -> TransitionPlan:
    """A new plan with the boards' four questions and the governance milestones in their
    order (seed 001: exploration, plan, MR, supervisory board, board decision, notice);
    dates are filled in by the coordinator."""
    plan = TransitionPlan(location=location)
    # The region comes from the location (clean() says so in Dutch when it has none).
    plan.full_clean(exclude=["region"])
    plan.save()
    for question, source in BOARD_QUESTIONS:
        BoardQuestion.objects.create(plan=plan, question=question, source=source)
    for kind in Milestone.Kind.values:
        if kind != Milestone.Kind.OTHER:
            Milestone.objects.create(plan=plan, kind=kind)
    return plan


def log_cohort_shown(*, user, pupils, plan) -> list:
    """The plan page showed these pupils' codes: one access-log row per pupil, as the
    pupil list does."""
    return log_list(
        user=user,
        pupils=pupils,
        detail=_("transitieplan %(location)s") % {"location": plan.location.name},
    )
