"""Fictional demo initiatives, agreements and transition plans for "Regio Havenstad (demo)".
Every name here is made up; texts are our own words. Idempotent: run twice, same data."""

from datetime import datetime, time, timedelta

from auditlog.context import set_actor
from django.utils import timezone

from regions.models import Gemeente, Location, Region, Samenwerkingsverband, School
from toolkit.models import CooperationType, PracticeExample, RegionAction, WerkagendaLine

from . import models
from .services import add_version, create_agreement, create_transition_plan, record_consent


def seed(context=None):
    context = context or {}
    context |= seed_initiatives(context)
    seed_transition(context)
    seed_agreements(context)
    return context


# --- initiatives ----------------------------------------------------------------------

# name -> type slug, construction, typed pupils, minimum, statuses (status, days ago,
# reason), partners (brin / "swv" / "gemeente" / typed name, role), lines, headings.
INITIATIVES = [
    {
        "name": "Taalklas op Het Baken",
        "type": "school-in-school",
        "construction": "symbioseovereenkomst",
        "construction_note": "Symbioseovereenkomst voor twee jaar; de TLV's betaalt het swv.",
        "pupils_typed": 14,
        "viability_minimum": 8,
        "start": -420,
        "evaluation": 120,
        "statuses": [
            ("verkenning", 700, "Verkenning gestart na een vraag van de schoolleiding."),
            ("voorbereiding", 560, "Bestuur en swv steunen het plan; lokalen gevonden."),
            ("actief", 420, "De eerste groep is na de zomer begonnen."),
        ],
        "partners": [
            ("99AA", "partnerschool"),
            ("swv", "samenwerkingsverband"),
            ("gemeente", "gemeente"),
            ("Audiologisch centrum Havenstad (fictief)", "zorgpartner"),
        ],
        "lines": [2, 4],
        "housing": "Twee lokalen met akoestische panelen en een prikkelarme ruimte.",
        "transport": "Aangepast vervoer voor vier leerlingen buiten Havenstad.",
        "contact": "Team onderwijshuisvesting en leerlingenvervoer",
        "aanleiding": "Leerlingen met TOS moesten ver reizen naar een vso-locatie; ouders "
        "vroegen om onderwijs dichter bij huis.",
        "doelen": "Leerlingen volgen zoveel mogelijk lessen in de gewone klas, met "
        "taalsteun in een eigen groep.",
        "praktijk": "Een eigen groep in het gebouw van Het Baken; per vak schuiven "
        "leerlingen aan bij een reguliere klas.",
        "opbrengsten": "Minder reistijd en meer contact met leeftijdgenoten.",
    },
    {
        "name": "Groep in school Aan de Haven",
        "type": "mediumsetting",
        "construction": "swv-arrangement",
        "construction_note": "Arrangement van het swv voor een groep van maximaal tien.",
        "pupils_typed": 4,
        "viability_minimum": 8,
        "start": 250,
        "evaluation": 600,
        "statuses": [
            ("verkenning", 200, "Lyceum Aan de Haven wil havo-leerlingen met TOS opvangen."),
            ("voorbereiding", 60, "Plan van aanpak besproken met het swv."),
        ],
        "partners": [("99AB", "partnerschool"), ("swv", "samenwerkingsverband")],
        "lines": [3],
        "housing": "Een lokaal naast de mediatheek; de akoestiek moet beter.",
        "transport": "",
        "contact": "",
        "aanleiding": "Te weinig havo-plekken met cluster 2-ondersteuning in de regio.",
        "uitdagingen": "Nog maar vier aanmeldingen: de groep is te klein om te starten.",
    },
    {
        "name": "Versneld terug naar De Werkplaats",
        "type": "versnelde-doorstroom",
        "example": "viertaal-college-den-haag",
        "construction": "experiment",
        "construction_note": "Aanvraag onder de beleidsregel in voorbereiding.",
        "pupils_typed": 6,
        "viability_minimum": 5,
        "start": None,
        "evaluation": None,
        "statuses": [("verkenning", 30, "Op bezoek geweest bij het voorbeeld in Den Haag.")],
        "partners": [("99AC", "partnerschool")],
        "lines": [1],
        "housing": "",
        "transport": "",
        "contact": "",
        "doelen": "Leerlingen van vso De Kade stromen binnen een jaar door naar het "
        "praktijkonderwijs, met begeleiding die meegaat.",
    },
    {
        "name": "Symbiose Duinzicht",
        "type": "symbiose",
        "construction": "samenwerkingsovereenkomst",
        "construction_note": "",
        "pupils_typed": 2,
        "viability_minimum": 6,
        "start": -900,
        "evaluation": -200,
        "statuses": [
            ("actief", 900, "Gestart met twee leerlingen."),
            ("geevalueerd", 220, "Evaluatie met school en ouders gedaan."),
            ("gestopt", 150, "Te weinig leerlingen; beide kregen een plek op Het Baken."),
        ],
        "partners": [("99AD", "partnerschool")],
        "lines": [],
        "housing": "",
        "transport": "",
        "contact": "",
        "toekomst": "Opnieuw bekijken als er in Duinwijk meer aanmeldingen komen.",
    },
]


def _party(code, region, schools):
    if code in schools:
        return {"school": schools[code]}
    if code == "swv":
        return {"swv": Samenwerkingsverband.objects.filter(regions=region).order_by("code").first()}
    if code == "gemeente":
        return {"gemeente": Gemeente.objects.filter(regions=region).order_by("code").first()}
    return {"other_name": code}


def seed_initiatives(context):
    region = context["region"]
    schools = context.get("schools", {})
    coordinator = context["users"]["coordinator"]
    today = timezone.localdate()
    now = timezone.now()
    initiatives = {}
    with set_actor(coordinator):
        for spec in INITIATIVES:
            kind = CooperationType.objects.filter(slug=spec["type"]).first()
            if kind is None:  # a flushed test database: the list the migration loaded
                kind = CooperationType.objects.create(slug=spec["type"], name=spec["type"])
            example = PracticeExample.objects.filter(slug=spec.get("example", "")).first()
            defaults = {
                "type": kind,
                "status": spec["statuses"][-1][0],
                "construction": spec["construction"],
                "construction_note": spec["construction_note"],
                "pupils_typed": spec["pupils_typed"],
                "viability_minimum": spec["viability_minimum"],
                "start_date": today + timedelta(days=spec["start"])
                if spec["start"] is not None
                else None,
                "evaluation_date": today + timedelta(days=spec["evaluation"])
                if spec["evaluation"] is not None
                else None,
                "housing_needs": spec["housing"],
                "transport_needs": spec["transport"],
                "municipality": Gemeente.objects.filter(regions=region).order_by("code").first()
                if spec["contact"]
                else None,
                "municipality_contact": spec["contact"],
                "modelled_on": example,
            }
            defaults |= {name: spec.get(name, "") for name, _label in models.HEADINGS}
            initiative, _created = models.Initiative.objects.update_or_create(
                region=region, name=spec["name"], defaults=defaults
            )
            initiatives[spec["name"]] = initiative
            for code, role in spec["partners"]:
                party = _party(code, region, schools)
                if None in party.values():
                    continue
                models.InitiativePartner.objects.get_or_create(
                    initiative=initiative, role=role, **party
                )
            initiative.lines.set(WerkagendaLine.objects.filter(number__in=spec["lines"]))
            initiative.actions.set(
                RegionAction.objects.filter(region=region, line__number__in=spec["lines"])[:2]
            )
            if not initiative.status_changes.exists():
                _history(initiative, spec["statuses"], coordinator, now)
    return {"initiatives": initiatives}


def _history(initiative, statuses, user, now):
    start = statuses[0][1] + 30
    models.StatusChange.objects.create(
        initiative=initiative,
        from_status="",
        to_status="idee",
        reason="Idee opgeschreven in het regio-overleg.",
        changed_by=user,
        changed_at=now - timedelta(days=start),
    )
    previous = "idee"
    for status, days_ago, reason in statuses:
        models.StatusChange.objects.create(
            initiative=initiative,
            from_status=previous,
            to_status=status,
            reason=reason,
            changed_by=user,
            changed_at=now - timedelta(days=days_ago),
        )
        previous = status


# --- transition plans ---


def seed_transition(context):
    """The plan of vso De Kade (phasing out, regions.demo): milestones partly late,
    questions partly answered, one late communication step, staff, an Inspectie repair
    order and cohort pupils of whom some have no confirmed place. Idempotent."""
    region = context["region"]
    schools = context["schools"]
    pupils = context.get("pupils", [])
    today = timezone.localdate()
    kade = Location.objects.get(institution=region.institution, name="vso De Kade (fictief)")
    plan = models.TransitionPlan.objects.filter(location=kade).first()
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
        models.Milestone.objects.update_or_create(
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
    questions = models.BoardQuestion.objects.filter(plan=plan).order_by("pk")
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
        previous, _created = models.CommunicationItem.objects.update_or_create(
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
        models.StaffDestination.objects.update_or_create(
            plan=plan, destination=destination, defaults={"count": count}
        )
    for year_offset, count in [(1, 6), (2, 7)]:
        start = today.year + year_offset - (1 if today.month < 8 else 0)
        models.ExpectedEnrolment.objects.update_or_create(
            plan=plan, school_year=f"{start}-{start + 1}", defaults={"count": count}
        )
    models.InspectieEvent.objects.update_or_create(
        plan=plan,
        kind="bezoek",
        defaults={"date": days(-90), "description": "Specifiek onderzoek De Kade", "done": True},
    )
    models.InspectieEvent.objects.update_or_create(
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
        models.CohortEntry.objects.update_or_create(plan=plan, pupil=pupil, defaults=values)


# --- agreements ------------------------------------------------------------------------


DEMO_AGREEMENTS = [
    {
        "title": "TLV-vergoeding klas TOS Het Baken College (demo)",
        "subject": models.Agreement.Subject.TLV,
        "status": models.Agreement.Status.DISPUTED,
        "scope_kind": models.Agreement.ScopeKind.PUPILS,
        "scope": "De leerlingen met TOS in de klas-in-school van Het Baken College.",
        "payment": "Per leerling per kwartaal, op factuur aan het samenwerkingsverband.",
        "open_questions": "Telt een leerling die halverwege het jaar instroomt voor een heel "
        "kwartaal? Het SWV zegt nee.",
        "texts": [
            (
                "Het samenwerkingsverband vergoedt per leerling met een TLV die de klas-in-"
                "school bezoekt een bedrag per kwartaal.\nDe school levert elk kwartaal de "
                "lijst van leerlingen.",
                "Vergoeding per volledig kwartaal.\nBetaling binnen 30 dagen na factuur.",
            ),
            (
                "Het samenwerkingsverband vergoedt per leerling met een TLV die de klas-in-"
                "school bezoekt een bedrag per maand.\nDe school levert elke maand de "
                "lijst van leerlingen.",
                "Vergoeding per volledige maand.\nBetaling binnen 45 dagen na factuur.",
            ),
        ],
        "parties": [
            ("swv", "VO 99-01", "betaalt"),
            ("school", "99AA", "levert de leerlingenlijst"),
        ],
        "agreed": {1: ["VO 99-01", "99AA"], 2: ["99AA"]},
    },
    {
        "title": "Leerlingenvervoer naar de klas-in-school (demo)",
        "subject": models.Agreement.Subject.TRANSPORT,
        "status": models.Agreement.Status.SIGNED,
        "scope_kind": models.Agreement.ScopeKind.SCHOOL_YEAR,
        "scope": "Leerlingen van vso De Kade die naar Het Baken College overstappen.",
        "payment": "De gemeente betaalt het vervoer rechtstreeks aan de vervoerder.",
        "ends_in_days": 60,
        "texts": [
            (
                "De gemeente Havenstad regelt aangepast vervoer voor leerlingen die door de "
                "afbouw van De Kade naar een partnerschool gaan.",
                "Aanvraag vóór 1 juni.",
            )
        ],
        "parties": [("gemeente", "9901", "regelt en betaalt het vervoer")],
        "agreed": {1: ["9901"]},
    },
    {
        "title": "Inzet ambulant begeleiders bij de partnerscholen (demo)",
        "subject": models.Agreement.Subject.AD_TERMS,
        "status": models.Agreement.Status.SIGNED,
        "scope_kind": models.Agreement.ScopeKind.ONGOING,
        "scope": "Alle partnerscholen van het samenwerkingsverband PO.",
        "payment": "Jaarlijks budget, in twee termijnen.",
        "ends_in_days": 500,
        "texts": [
            (
                "De instelling zet ambulant begeleiders in bij de partnerscholen; het "
                "samenwerkingsverband stelt daarvoor een jaarlijks budget beschikbaar.",
                "Evaluatie na elk schooljaar.",
            )
        ],
        "parties": [
            ("swv", "PO 99-01", "stelt het budget beschikbaar"),
            ("other", "Ministerie van OCW", "volgt de pilot"),
        ],
        "agreed": {1: ["PO 99-01"]},
    },
]


def _party_kwargs(region, kind, key):
    if kind == "swv":
        return {"swv": region.swvs.get(code=key)}
    if kind == "gemeente":
        return {"gemeente": region.gemeenten.get(code=key)}
    if kind == "school":
        return {"school": School.objects.get(brin=key, vestigingsnummer="00")}
    return {"other_name": key}


def seed_agreements(context):
    """Three agreements in the demo region: one disputed with two versions (the demo
    school leader's school is a party), one ending within 3 months, one signed."""
    region = context.get("region") or Region.objects.get(name="Regio Havenstad (demo)")
    users = context.get("users") or {}
    author = users.get("coordinator")
    if author is None:
        from django.contrib.auth import get_user_model

        author = get_user_model().objects.get(username="coordinator")
    today = timezone.localdate()
    for spec in DEMO_AGREEMENTS:
        if models.Agreement.objects.filter(region=region, title=spec["title"]).exists():
            continue  # idempotent: the demo never rewrites an agreement's history
        days = spec.get("ends_in_days")
        agreement = models.Agreement(
            region=region,
            title=spec["title"],
            subject=spec["subject"],
            status=spec["status"],
            scope_kind=spec["scope_kind"],
            scope=spec["scope"],
            school_year=f"{today.year}-{today.year + 1}",
            payment=spec["payment"],
            open_questions=spec.get("open_questions", ""),
            start=models.add_months(today, -6),
            end=today + timedelta(days=days) if days else models.add_months(today, 18),
        )
        text, conditions = spec["texts"][0]
        create_agreement(agreement=agreement, text=text, conditions=conditions, user=author)
        parties = {}
        for kind, key, role in spec["parties"]:
            parties[key] = models.AgreementParty.objects.create(
                agreement=agreement, role=role, **_party_kwargs(region, kind, key)
            )
        versions = {1: agreement.versions.get(number=1)}
        for number, (text, conditions) in enumerate(spec["texts"][1:], start=2):
            versions[number] = add_version(
                agreement=agreement,
                based_on=number - 1,
                text=text,
                conditions=conditions,
                note="Na overleg: per maand in plaats van per kwartaal.",
                user=author,
            )
        # The story: version n was recorded a month before its parties agreed to it.
        for number, version in versions.items():
            version.recorded_at = timezone.make_aware(
                datetime.combine(models.add_months(today, -7 + number), time(10))
            )
            models.AgreementVersion.objects.filter(pk=version.pk).update(
                recorded_at=version.recorded_at
            )
        for number, keys in spec["agreed"].items():
            record_consent(
                version=versions[number],
                parties=[parties[k] for k in keys],
                agreed_on=models.add_months(today, -6 + number),
            )
