"""The demo's initiatives, agreements and transition plan (called by plans' seed_demo)."""


def seed(context=None):
    context = context or {}
    seed_transition(context)
    return {}


# --- transition plans ---

from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from regions.models import Location  # noqa: E402

from .models import (  # noqa: E402
    BoardQuestion,
    CohortEntry,
    CommunicationItem,
    ExpectedEnrolment,
    InspectieEvent,
    Milestone,
    StaffDestination,
    TransitionPlan,
)
from .services import create_transition_plan  # noqa: E402


def seed_transition(context):
    """The plan of vso De Kade (phasing out, regions.demo): milestones partly late,
    questions partly answered, one late communication step, staff, an Inspectie repair
    order and cohort pupils of whom some have no confirmed place. Idempotent."""
    region = context["region"]
    schools = context["schools"]
    pupils = context.get("pupils", [])
    today = timezone.localdate()
    kade = Location.objects.get(institution=region.institution, name="vso De Kade (fictief)")
    plan = TransitionPlan.objects.filter(location=kade).first()
    if plan is None:
        plan = create_transition_plan(location=kade)

    def days(n):
        return today + timedelta(days=n)

    milestones = {
        "verkenning": (days(-200), days(-170), "Verslag verkenning swv's (fictief)"),
        "plan": (days(-120), days(-110), "Transitieplan De Kade v1 (fictief)"),
        "mr": (days(-40), None, ""),  # late: the MR has not yet given consent
        "raad-van-toezicht": (days(-10), None, ""),  # late
        "bestuursbesluit": (days(20), None, ""),
        "melding": (days(35), None, ""),
    }
    for kind, (planned, actual, document) in milestones.items():
        Milestone.objects.update_or_create(
            plan=plan,
            kind=kind,
            defaults={"planned": planned, "actual": actual, "document": document},
        )
    answers = [
        "Drie scenario's: taalklas in Het Lyceum, groep-in-school bij Het Baken College en "
        "ambulante begeleiding thuisnabij; per scenario staat de ondersteuning beschreven.",
        "",
        "Tijdlijn per leerling in de plaatsingen; de aanmeldingen die niet meer komen staan "
        "per schooljaar in dit plan.",
        "",
    ]
    questions = BoardQuestion.objects.filter(plan=plan).order_by("pk")
    for question, answer in zip(questions, answers, strict=False):
        question.answer = answer
        question.status = "beantwoord" if answer else "open"
        question.answer_due = None if answer else days(-7 if question.pk % 2 else 30)
        question.save()
    steps = [
        ("Team en MR De Kade", -60, "directie", "teamvergadering", True),
        ("Samenwerkingsverbanden en schoolbesturen", -30, "bestuur", "overleg", True),
        ("Ouders en leerlingen", -5, "directie", "brief en informatieavond", False),
        ("Pers", 40, "woordvoerder", "persbericht", False),
    ]
    previous = None
    for audience, offset, sender, channel, done in steps:
        previous, _created = CommunicationItem.objects.update_or_create(
            plan=plan,
            audience=audience,
            defaults={
                "date": days(offset),
                "sender": sender,
                "channel": channel,
                "done": done,
                # Regional partners hear it before the press (the Auris leak, seed 001).
                "not_before": previous if audience == "Pers" else None,
                "embargo_until": days(40) if audience == "Pers" else None,
            },
        )
    for destination, count in [
        ("Ambulante dienstverlening in de regio", 9),
        ("Andere locatie van de instelling", 4),
        ("Overname door partnerschool", 2),
        ("Vertrek", 1),
    ]:
        StaffDestination.objects.update_or_create(
            plan=plan, destination=destination, defaults={"count": count}
        )
    for year_offset, count in [(1, 6), (2, 7)]:
        start = today.year + year_offset - (1 if today.month < 8 else 0)
        ExpectedEnrolment.objects.update_or_create(
            plan=plan, school_year=f"{start}-{start + 1}", defaults={"count": count}
        )
    InspectieEvent.objects.update_or_create(
        plan=plan,
        kind="bezoek",
        defaults={"date": days(-90), "description": "Specifiek onderzoek De Kade", "done": True},
    )
    InspectieEvent.objects.update_or_create(
        plan=plan,
        kind="herstelopdracht",
        defaults={
            "date": days(-60),
            "deadline": days(-3),  # late
            "description": "Kwaliteitszorg tijdens de afbouw",
            "done": False,
        },
    )
    _seed_cohort(plan, pupils, schools)


def _seed_cohort(plan, pupils, schools):
    """De Kade's pupils (learners.demo: 0-11 there now, 12-19 already placed from it)."""
    if len(pupils) < 20:
        return
    natural = {8, 9, 10}
    destinations = {0: None, 1: "99AB", 2: "99AC", 3: "99AA", 4: "99AD", 5: "99AB", 6: "99AC"}
    for index in range(20):
        if index == 11:
            continue  # not described yet: the page asks for it
        pupil = pupils[index]
        if index in natural:
            values = {"outflow": "natuurlijke-uitstroom", "destination_text": "mbo niveau 2"}
        else:
            brin = destinations.get(index, "99AA")
            values = {
                "outflow": "plaatsing-nodig",
                "destination_school": schools[brin] if brin else None,
                "destination_text": "" if brin else "nog onbekend",
            }
        CohortEntry.objects.update_or_create(plan=plan, pupil=pupil, defaults=values)
