"""Writes that touch more than one model of initiatives."""


# --- transition plans ---

from django.db import transaction  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

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
