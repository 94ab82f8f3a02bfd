"""Demo work for the fictional demo region: tips under way, two lines with actions.

Idempotent: progress rows are keyed on (region, item), decisions on (region, measure),
actions on (region, title). Dates are relative to today so that "overdue" keeps
meaning something whenever the demo is seeded.
"""

from datetime import timedelta

from auditlog.context import set_actor
from django.utils import timezone

from . import models
from .loader import load_content

S = models.ProgressStatus
# (status, owner, days from today for the due date or None, note) per item, in content order.
ITEM_PLAN = [
    (S.DONE, "coordinator", -60, "Besproken in het regio-overleg; definitie in het regioplan."),
    (S.DONE, "begeleider", -40, "Getoond op de teamdag."),
    (S.IN_PROGRESS, "coordinator", -10, "Gesprekken met twee schoolleiders gepland."),
    (S.IN_PROGRESS, "coordinator", 30, ""),
    (S.NOT_STARTED, None, None, ""),
    (S.NOT_APPLICABLE, None, None, "Past niet bij onze doelgroep in deze regio."),
    (S.NOT_STARTED, None, None, ""),
    (S.DONE, "begeleider", -30, "Doelgroepanalyse per SWV gemaakt."),
    (S.IN_PROGRESS, "begeleider", -5, "Cijfers van de CvO opgevraagd."),
    (S.IN_PROGRESS, "begeleider", 20, ""),
    (S.DONE, "begeleider", -20, "Gesprekken met vijf leerlingen gevoerd."),
    (S.NOT_STARTED, None, None, ""),
    (S.IN_PROGRESS, "coordinator", -3, "Ouderavond voorbereid met de MR."),
    (S.DONE, "coordinator", -45, ""),
    (S.NOT_STARTED, "begeleider", 60, ""),
    (S.IN_PROGRESS, "coordinator", 14, "Uitleg voor intern begeleiders in voorbereiding."),
    (S.DONE, "begeleider", -15, "Scholingsplan AD vastgesteld."),
    (S.IN_PROGRESS, "begeleider", -20, "Twee AD'ers volgen de standaardentraining."),
    (S.NOT_STARTED, None, None, ""),
    (S.NOT_STARTED, None, None, ""),
    (S.NOT_STARTED, None, None, ""),
    (S.IN_PROGRESS, "begeleider", 45, ""),
    (S.NOT_STARTED, None, None, ""),
    (S.DONE, "coordinator", -90, "Het Baken College en Lyceum Aan de Haven doen mee."),
    (S.IN_PROGRESS, "coordinator", 10, ""),
    (S.NOT_STARTED, None, None, ""),
    (S.NOT_STARTED, None, None, ""),
    (S.DONE, "coordinator", -25, "Kaart van scholen en SWV's in de regio gemaakt."),
    (S.IN_PROGRESS, "coordinator", -7, "Verkenning met Praktijkschool De Werkplaats."),
]


def _day(today, offset):
    return today + timedelta(days=offset) if offset is not None else None


def seed(context):
    region = context["region"]
    users = context["users"]
    schools = context.get("schools", {})
    today = timezone.localdate()
    coordinator = users["coordinator"]
    if not models.ToolkitItem.objects.exists():
        # A flushed test database (live-server tests) lost what the migration loaded.
        # Only then: never overwrite what the functional admin edited.
        load_content()

    with set_actor(coordinator):
        items = list(models.ToolkitItem.objects.order_by("chapter__number", "order"))
        for item, (status, owner, due, note) in zip(items, ITEM_PLAN, strict=False):
            models.RegionItemProgress.objects.update_or_create(
                region=region,
                item=item,
                defaults={
                    "status": status,
                    "owner": users.get(owner) if owner else None,
                    "due_date": _day(today, due),
                    "note": note,
                },
            )

        measures = {m.code: m for m in models.Measure.objects.all()}
        decisions = {
            "1.R.1": ("adopted", ""),
            "1.R.2": ("adopted", ""),
            "1.S.1": ("adopted", ""),
            "1.S.2": ("adopted", ""),
            "3.R.1": ("adopted", ""),
            "3.S.1": ("adopted", ""),
            "3.S.2": ("adopted", ""),
            "6.R.1": ("adopted", ""),
            "6.S.2": (
                "not_relevant",
                "Werkcultuur is een zaak van de scholen zelf; de regio stuurt hier niet op.",
            ),
            "5.R.1": (
                "not_relevant",
                "Het integraal huisvestingsplan loopt via de gemeenten; de regio sluit aan "
                "bij hun overleg.",
            ),
        }
        for code, (decision, reason) in decisions.items():
            models.RegionMeasure.objects.update_or_create(
                region=region,
                measure=measures[code],
                defaults={"decision": decision, "reason": reason},
            )

        swv = region.swvs.filter(code="VO 99-01").first()
        A = models.ActionStatus
        plan = [
            # title, measure, owner, start, deadline, status, goal, actors, evidence, schools
            (
                "Scholingsdag TOS voor mentoren van partnerscholen",
                "1.S.1",
                "coordinator",
                -120,
                -30,
                A.DONE,
                "Mentoren herkennen TOS en weten welke ondersteuning werkt.",
                "AD-team, partnerscholen",
                "Evaluatie: 42 deelnemers, gemiddeld 8,1.",
                ["99AA", "99AB"],
            ),
            (
                "Expertisepool AD voor de regio opzetten",
                "1.R.2",
                "coordinator",
                -60,
                -14,
                A.IN_PROGRESS,
                "Scholen kunnen binnen een week een AD'er inschakelen.",
                "SWV VO 99-01, AD-team",
                "",
                [],
            ),
            (
                "Stageplaatsen pabo en lerarenopleiding bij partnerscholen",
                "1.R.1",
                "begeleider",
                -30,
                60,
                A.IN_PROGRESS,
                "Studenten leren lesgeven aan leerlingen met TOS in de regio.",
                "Hogeschool Havenstad, partnerscholen",
                "",
                ["99AA"],
            ),
            (
                "Intervisie voor intern begeleiders",
                "1.S.2",
                "begeleider",
                10,
                120,
                A.PLANNED,
                "IB'ers delen casussen en aanpakken rond taal en gehoor.",
                "IB-ers partnerscholen, AD",
                "",
                ["99AA", "99AB", "99AC"],
            ),
            (
                "Regionale kaart van het onderwijsaanbod voor TOS en D/SH",
                "3.R.1",
                "coordinator",
                -150,
                -60,
                A.DONE,
                "Overzicht welke school welke ondersteuning biedt.",
                "SWV VO 99-01, SWV PO 99-01",
                "Kaart gedeeld in het SWV-overleg.",
                [],
            ),
            (
                "Warme overdracht vso De Kade naar reguliere scholen",
                "3.S.2",
                "begeleider",
                -90,
                -7,
                A.IN_PROGRESS,
                "Elke leerling van De Kade heeft een overdrachtsgesprek met de nieuwe school.",
                "vso De Kade, ontvangende scholen, ouders",
                "",
                ["99AA", "99AC"],
            ),
            (
                "Visie inclusief onderwijs met partnerscholen vastleggen",
                "3.S.1",
                "coordinator",
                -20,
                90,
                A.PLANNED,
                "Een gedeelde visie en koers, ondertekend door de schoolleiders.",
                "Schoolleiders, SWV",
                "",
                ["99AA", "99AB", "99AD"],
            ),
            (
                "Doorzettingsmacht afspreken met het SWV",
                "3.R.1",
                "coordinator",
                -45,
                -21,
                A.PLANNED,
                "Bij een vastgelopen plaatsing beslist het SWV binnen vier weken.",
                "SWV VO 99-01",
                "",
                [],
            ),
            (
                "Verhalen van leerlingen delen in de regionale nieuwsbrief",
                "6.R.1",
                "begeleider",
                -10,
                30,
                A.IN_PROGRESS,
                "Zichtbaar maken dat inclusief onderwijs werkt.",
                "Communicatie Auris",
                "",
                [],
            ),
        ]
        for title, code, owner, start, deadline, status, goal, actors, evidence, brins in plan:
            measure = measures[code]
            action, _created = models.RegionAction.objects.update_or_create(
                region=region,
                title=title,
                defaults={
                    "line": measure.line,
                    "measure": measure,
                    "owner": users.get(owner),
                    "start": _day(today, start),
                    "deadline": _day(today, deadline),
                    "status": status,
                    "goal": goal,
                    "actors": actors,
                    "evidence": evidence,
                },
            )
            action.schools.set([schools[b] for b in brins if b in schools])
            if swv and "SWV" in actors:
                action.swvs.set([swv])
    return {}
