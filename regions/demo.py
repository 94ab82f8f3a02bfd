"""Fictional demo data for one region: every name, code and address here is made up."""

from datetime import date

from django.contrib.auth import get_user_model

from . import models
from .accounts import make_beheerder
from .reference import ensure_reference_data

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo login, refused in production

SCHOOLS = [
    # brin, name, sector, levels, place, gemeente, swv, partner, acoustics, low-stimulus
    (
        "99AA",
        "Het Baken College",
        "vo",
        ["vmbo-b", "vmbo-k", "vmbo-gt"],
        "Havenstad",
        "9901",
        "VO 99-01",
        True,
        "goed",
        "goed",
    ),
    (
        "99AB",
        "Lyceum Aan de Haven",
        "vo",
        ["havo", "vwo"],
        "Havenstad",
        "9901",
        "VO 99-01",
        True,
        "redelijk",
        "onvoldoende",
    ),
    (
        "99AC",
        "Praktijkschool De Werkplaats",
        "vo",
        ["pro"],
        "Polderdam",
        "9902",
        "VO 99-01",
        True,
        "goed",
        "redelijk",
    ),
    (
        "99AD",
        "Scholengemeenschap Duinzicht",
        "vo",
        ["vmbo-gt", "havo", "vwo"],
        "Duinwijk",
        "9903",
        "VO 99-01",
        True,
        "onbekend",
        "onbekend",
    ),
    (
        "99AE",
        "Vakcollege Polderdam",
        "vo",
        ["vmbo-b", "vmbo-k"],
        "Polderdam",
        "9902",
        "VO 99-01",
        False,
        "onvoldoende",
        "onbekend",
    ),
    (
        "99AF",
        "Basisschool De Vuurtoren",
        "po",
        ["po"],
        "Havenstad",
        "9901",
        "PO 99-01",
        True,
        "goed",
        "goed",
    ),
    (
        "99AG",
        "Havenstad College mbo",
        "mbo",
        ["mbo"],
        "Havenstad",
        "9901",
        None,
        False,
        "redelijk",
        "onbekend",
    ),
    (
        "99AH",
        "De Kade vso (fictief)",
        "vso",
        ["vso"],
        "Havenstad",
        "9901",
        None,
        False,
        "goed",
        "goed",
    ),
]


def seed():
    ensure_reference_data()
    auris = models.Institution.objects.get(slug="auris")
    kentalis = models.Institution.objects.get(slug="kentalis")
    gemeenten = {}
    for code, name, policy in [
        (
            "9901",
            "Havenstad",
            "Aanvragen voor leerlingenvervoer vóór 1 juni; besluit binnen "
            "8 weken. Aangepast vervoer voor leerlingen met TOS op advies van de school.",
        ),
        (
            "9902",
            "Polderdam",
            "Vervoer alleen bij een afstand boven 6 km; uitzondering op medisch advies.",
        ),
        ("9903", "Duinwijk", "Leerlingenvervoer via de regiotaxi; eigen bijdrage boven 20 km."),
    ]:
        gemeenten[code], _ = models.Gemeente.objects.update_or_create(
            code=code, defaults={"name": name, "transport_policy": policy}
        )
    swvs = {None: None}
    for code, fields in [
        (
            "VO 99-01",
            {
                "name": "Samenwerkingsverband VO Havenstad e.o. (demo)",
                "sector": "vo",
                "allocation_model": "gemengd",
                "stance_on_ad": "positief",
                "place": "Havenstad",
                "notes": "Werkt met een arrangeerteam; vraagt AD mee bij ieder TLV-gesprek.",
            },
        ),
        (
            "PO 99-01",
            {
                "name": "Samenwerkingsverband PO Havenstad (demo)",
                "sector": "po",
                "allocation_model": "school",
                "stance_on_ad": "neutraal",
                "place": "Havenstad",
            },
        ),
    ]:
        swvs[code], _ = models.Samenwerkingsverband.objects.update_or_create(
            code=code, defaults=fields
        )
    region, _ = models.Region.objects.update_or_create(
        institution=auris,
        name="Regio Havenstad (demo)",
        defaults={
            "description": "Fictieve demoregio: de vso-locatie De Kade bouwt af; "
            "leerlingen stromen door naar reguliere scholen."
        },
    )
    region.swvs.set([swvs["VO 99-01"], swvs["PO 99-01"]])
    region.gemeenten.set(gemeenten.values())
    models.Location.objects.update_or_create(
        institution=auris,
        name="vso De Kade (fictief)",
        defaults={
            "region": region,
            "place": "Havenstad",
            "kind": "vso",
            "status": "afbouw",
            "phase_out_from": date(2025, 8, 1),
            "closing_date": date(2027, 8, 1),
        },
    )
    models.Location.objects.update_or_create(
        institution=auris,
        name="so De Meeuw (fictief)",
        defaults={"region": region, "place": "Polderdam", "kind": "so", "status": "open"},
    )
    bestuur, _ = models.Schoolbestuur.objects.update_or_create(
        number="99001", defaults={"name": "Stichting Onderwijs Havenstad (demo)"}
    )
    levels = {level.code: level for level in models.Level.objects.all()}
    schools = {}
    for brin, name, sector, lv, place, gem, swv, partner, acoustics, calm in SCHOOLS:
        school, _ = models.School.objects.update_or_create(
            brin=brin,
            vestigingsnummer="00",
            defaults={
                "name": name,
                "sector": sector,
                "place": place,
                "gemeente": gemeenten[gem],
                "swv": swvs[swv],
                "bestuur": bestuur,
                "is_partner": partner,
                "street": f"Schoolstraat {len(schools) + 1}",
                "postcode": f"99{len(schools) % 100:02d} AB",
                "acoustics": acoustics,
                "low_stimulus_room": calm,
                "accessibility": "goed" if partner else "onbekend",
                "cluster": 2 if sector == "vso" else None,
            },
        )
        school.levels.set([levels[code] for code in lv])
        schools[brin] = school
    models.SchoolContact.objects.get_or_create(
        school=schools["99AA"],
        name="M. de Vries (fictief)",
        defaults={"role": "ib", "email": "ib@baken.example"},
    )
    models.SchoolContact.objects.get_or_create(
        school=schools["99AA"],
        name="S. Jansen (fictief)",
        defaults={"role": "zorg", "email": "zorg@baken.example"},
    )

    # A second region of another institution: outside every demo user's scope.
    other_gem, _ = models.Gemeente.objects.update_or_create(
        code="9910", defaults={"name": "Noordkust"}
    )
    other_swv, _ = models.Samenwerkingsverband.objects.update_or_create(
        code="VO 99-10",
        defaults={"name": "Samenwerkingsverband VO Noordkust (demo)", "sector": "vo"},
    )
    other, _ = models.Region.objects.update_or_create(
        institution=kentalis, name="Regio Noordkust (demo)"
    )
    other.swvs.set([other_swv])
    other.gemeenten.set([other_gem])
    models.School.objects.update_or_create(
        brin="99BA",
        vestigingsnummer="00",
        defaults={
            "name": "Noordkust College (demo)",
            "sector": "vo",
            "place": "Noordkust",
            "gemeente": other_gem,
            "swv": other_swv,
            "is_partner": True,
        },
    )

    users = {}
    for username, first, last, role, scope in [
        ("coordinator", "Carla", "Coördinator", models.Role.COORDINATOR, {"region": region}),
        ("begeleider", "Bas", "Begeleider", models.Role.BEGELEIDER, {"region": region}),
        (
            "schoolleider",
            "Sanne",
            "Schoolleider",
            models.Role.SCHOOLLEIDER,
            {"school": schools["99AA"]},
        ),
        ("manager", "Maarten", "Manager", models.Role.MANAGER, {"institution": auris}),
        ("beheerder", "Bea", "Beheerder", models.Role.BEHEERDER, {}),
    ]:
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@route2035.example",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        models.RoleAssignment.objects.grant_directly(user=user, role=role, **scope)
        users[username] = user
    # Admin rights through the group, never superuser (regions.accounts).
    make_beheerder(users["beheerder"])
    return {"region": region, "schools": schools, "users": users, "other_region": other}
