"""The regional plan's part of the demo: texts for several sections, the region's
pressures, goals over the phases with outcomes in all three states, linked to the demo's
actions and initiatives, and a few actions worked out as action points. Idempotent."""

from initiatives.models import Initiative
from toolkit.models import Phase, RegionAction

from .models import Goal, OutcomeStatus, PlanText, RegionalPlan

PRESSURES = (
    "De regio krimpt: er komen minder leerlingen, verspreid over meer scholen.\n\n"
    "- vso De Kade bouwt af; de leerlingen hebben een plek in de buurt nodig\n"
    "- ambulante begeleiders zijn schaars; wachtlijsten in het najaar\n"
    "- gemeenten willen leerlingenvervoer beperken"
)

TEXTS = {
    "context": (
        "Dit plan beschrijft hoe de regio cluster 2-onderwijs thuisnabij organiseert, "
        "met de samenwerkingsverbanden en gemeenten.",
        "",
    ),
    "goals": (
        "De doelen volgen de fasen van de werkagenda. Per doel staat wat er anders is "
        "als het bereikt is, en hoe ver het is.",
        "De meeste resultaten zijn in ontwikkeling; dekkend aanbod in het vo vraagt de "
        "meeste aandacht.",
    ),
    "pupils": (
        "Aantallen staan in groepen van vijf, zodat geen leerling herkenbaar is.",
        "De meeste leerlingen zonder plaatsing zitten op de afbouwende locatie.",
    ),
    "werkagenda": (
        "Per lijn van de werkagenda de maatregelen die de regio overnam en wat er gedaan is.",
        "",
    ),
    "timeline": (
        "",
        "Het ijkmoment van de werkagenda is het moment om dit plan opnieuw vast te stellen.",
    ),
}

# (phase number, title, description, [(outcome, status)], action titles, initiative names)
GOALS = [
    (
        1,
        "Elke partnerschool weet wat cluster 2 biedt",
        "Scholen kennen de ambulante dienstverlening en weten wie ze bellen.",
        [
            ("Elke partnerschool heeft een vast aanspreekpunt", OutcomeStatus.ACHIEVED),
            ("Mentoren herkennen TOS", OutcomeStatus.IN_DEVELOPMENT),
        ],
        2,
        0,
    ),
    (
        2,
        "Thuisnabij aanbod voor de leerlingen van De Kade",
        "Geen leerling van de afbouwende locatie zonder passende plek.",
        [
            (
                "Elke leerling heeft een bevestigde plek voor de sluiting",
                OutcomeStatus.IN_DEVELOPMENT,
            ),
            ("Vervoer per leerling geregeld met de gemeente", OutcomeStatus.TO_START),
        ],
        1,
        2,
    ),
    (
        3,
        "Expertise blijft in de regio",
        "",
        [
            ("Een expertisepool van AD'ers draait", OutcomeStatus.IN_DEVELOPMENT),
            ("Kennis van De Kade vastgelegd in kwaliteitskaarten", OutcomeStatus.TO_START),
            ("Scholingsdag TOS elk jaar", OutcomeStatus.ACHIEVED),
        ],
        1,
        1,
    ),
    (
        4,
        "Regioplan jaarlijks vastgesteld met de samenwerkingsverbanden",
        "",
        [("Versie vastgesteld bij elk ijkmoment", OutcomeStatus.TO_START)],
        0,
        0,
    ),
]

ACTION_POINT = {
    "current_situation": "Mentoren merken TOS laat op; aanmeldingen komen pas in de tweede klas.",
    "activities": "- scholingsdag voor mentoren (oktober)\n- intervisie per school (voorjaar)",
    "consequences_organisation": "Twee dagdelen per school; AD'ers plannen de intervisie.",
    "consequences_training": "Scholing van mentoren door de AD.",
    "costs": "€ 2.500 voor zaalhuur en materiaal",
    "measurable_result": "Aanmeldingen vóór de herfstvakantie van klas 1 verdubbeld.",
    "evaluation": "Juni, in het regio-overleg, door de coördinator",
    "safeguarding": "Vastgelegd in de kwaliteitskaart ondersteuning van elke partnerschool.",
}


def seed(context):
    region = context["region"]
    coordinator = context["users"]["coordinator"]
    RegionalPlan.objects.update_or_create(region=region, defaults={"pressures": PRESSURES})
    for section, (intro, conclusion) in TEXTS.items():
        PlanText.objects.update_or_create(
            region=region,
            section=section,
            defaults={"intro": intro, "conclusion": conclusion, "updated_by": coordinator},
        )
    actions = list(RegionAction.objects.filter(region=region).order_by("pk"))
    initiatives = list(Initiative.objects.filter(region=region).order_by("pk"))
    for action in actions[:3]:
        for name, value in ACTION_POINT.items():
            setattr(action, name, getattr(action, name) or value)
        action.save()
    phases = {p.number: p for p in Phase.objects.all()}
    used_actions = used_initiatives = 0
    for order, (number, title, description, outcomes, n_actions, n_initiatives) in enumerate(GOALS):
        if number not in phases:
            continue
        goal, created = Goal.objects.get_or_create(
            region=region,
            title=title,
            defaults={"phase": phases[number], "description": description, "order": order},
        )
        if created:
            for i, (text, status) in enumerate(outcomes):
                goal.outcomes.create(text=text, status=status, order=i)
            goal.actions.set(actions[used_actions : used_actions + n_actions])
            goal.initiatives.set(initiatives[used_initiatives : used_initiatives + n_initiatives])
        used_actions += n_actions
        used_initiatives += n_initiatives
    return {}
