"""Fictional demo data of initiatives: every name and text here is made up."""


def seed(context=None):
    context = context or {}
    seed_agreements(context)
    return {}


# --- agreements ------------------------------------------------------------------------

from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from regions.models import Region, School  # noqa: E402

from .models import Agreement, AgreementParty, add_months  # noqa: E402
from .services import add_version, create_agreement, record_consent  # noqa: E402

DEMO_AGREEMENTS = [
    {
        "title": "TLV-vergoeding klas TOS Het Baken College (demo)",
        "subject": Agreement.Subject.TLV,
        "status": Agreement.Status.DISPUTED,
        "scope_kind": Agreement.ScopeKind.PUPILS,
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
        "subject": Agreement.Subject.TRANSPORT,
        "status": Agreement.Status.SIGNED,
        "scope_kind": Agreement.ScopeKind.SCHOOL_YEAR,
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
        "subject": Agreement.Subject.AD_TERMS,
        "status": Agreement.Status.SIGNED,
        "scope_kind": Agreement.ScopeKind.ONGOING,
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
        if Agreement.objects.filter(region=region, title=spec["title"]).exists():
            continue  # idempotent: the demo never rewrites an agreement's history
        days = spec.get("ends_in_days")
        agreement = Agreement(
            region=region,
            title=spec["title"],
            subject=spec["subject"],
            status=spec["status"],
            scope_kind=spec["scope_kind"],
            scope=spec["scope"],
            school_year=f"{today.year}-{today.year + 1}",
            payment=spec["payment"],
            open_questions=spec.get("open_questions", ""),
            start=add_months(today, -6),
            end=today + timedelta(days=days) if days else add_months(today, 18),
        )
        text, conditions = spec["texts"][0]
        create_agreement(agreement=agreement, text=text, conditions=conditions, user=author)
        parties = {}
        for kind, key, role in spec["parties"]:
            parties[key] = AgreementParty.objects.create(
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
        for number, keys in spec["agreed"].items():
            record_consent(
                version=versions[number],
                parties=[parties[k] for k in keys],
                agreed_on=add_months(today, -6 + number),
            )
