"""Fictional demo pupils for "Regio Havenstad (demo)". Every name here is made up.

Deterministic: codes come from a hash of the index, dates are relative to today, so
running seed twice on one day gives the same data.
"""

import hashlib
from datetime import timedelta

from django.utils import timezone

from regions.models import Gemeente, Level, Location

from . import models

FIRST = [
    "Noor", "Daan", "Liv", "Sem", "Yara", "Finn", "Saar", "Milan", "Lotte", "Jesse",
    "Fenna", "Luuk", "Isa", "Thijs", "Roos", "Bram", "Evi", "Stijn", "Nina", "Gijs",
]  # fmt: skip
LAST = [
    "Zeewind", "Havenkamp", "Duinhout", "Polderman", "Kadewijk", "Vuurbaak", "Meeuwsen",
    "Strandhof", "Golfslag", "Zandvoort-Kade",
]  # fmt: skip
# index -> target group; mostly TOS, as in cluster 2 as a whole.
GROUPS = {5: "dsh", 9: "dsh", 14: "dsh", 21: "dsh", 30: "dsh", 37: "dsh", 17: "cmb", 33: "cmb"}
GROUPS |= {26: "doofblind", 39: "anders"}
PARTNERS = ["99AA", "99AB", "99AC", "99AD"]
REGULAR = ["99AB", "99AC", "99AD", "99AF", "99AB", "99AD"]


def demo_code(index: int) -> str:
    digest = hashlib.sha256(f"route2035-demo-pupil-{index}".encode()).digest()
    return "LL-" + "".join(models.CODE_ALPHABET[b % len(models.CODE_ALPHABET)] for b in digest[:5])


def seed(context=None):
    context = context or {}
    region = context["region"]
    schools = context["schools"]
    users = context["users"]
    begeleider = users["begeleider"]
    today = timezone.localdate()
    auris = region.institution
    kade = Location.objects.get(institution=auris, name="vso De Kade (fictief)")
    levels = {lv.code: lv for lv in Level.objects.all()}
    gemeenten = list(Gemeente.objects.filter(code__in=["9901", "9902", "9903"]).order_by("code"))
    school_year_start = today.replace(month=8, day=1)
    if school_year_start > today:
        school_year_start = school_year_start.replace(year=today.year - 1)

    pupils = []
    for i in range(40):
        at_kade = i < 12
        if at_kade:
            school, location = None, kade
        elif i < 24:
            school, location = schools["99AA"], None
        else:
            school, location = schools[REGULAR[i % len(REGULAR)]], None
        level_code = ["vmbo-b", "vmbo-k", "vmbo-gt", "havo", "pro"][i % 5]
        if school and school.brin == "99AF":
            level_code = "po"
        group = GROUPS.get(i, "tos")
        defaults = {
            "region": region,
            "first_name": FIRST[i % len(FIRST)],
            "last_name": LAST[(i * 3) % len(LAST)],
            "date_of_birth": today.replace(month=1 + i % 12, day=1 + i % 27)
            - timedelta(days=365 * (12 + i % 6)),
            "target_group": group,
            "need_ngt": group in ("dsh", "doofblind") and i % 2 == 1,
            "need_hearing_technology": group in ("dsh", "doofblind"),
            "need_speech_therapy": group in ("tos", "cmb"),
            "need_other": "prikkelarme werkplek" if i % 7 == 0 else "",
            "current_school": school,
            "current_location": location,
            "level": levels[level_code],
            "year_group": 1 + i % 4,
            "home_gemeente": gemeenten[i % len(gemeenten)],
            "diagnosis": "TOS vastgesteld door audiologisch centrum (fictief)."
            if group == "tos"
            else "",
            "notes": "Fictieve demoleerling.",
            # One pupil has left cluster 2: only the coordinator still finds it.
            "is_active": i != 39,
            "transition": "",
            "transition_date": None,
            "transition_decision": "",
        }
        if school and school.brin == "99AF":
            defaults |= {
                "transition": "po-vo",
                "transition_date": today + timedelta(weeks=5 + i % 4),
            }
        if i == 23:
            defaults |= {"transition": "vo-mbo", "transition_date": today - timedelta(days=10)}
        pupil, _created = models.Pupil.objects.update_or_create(
            code=demo_code(i), defaults=defaults
        )
        pupils.append(pupil)

        # CvO decision: onderwijsarrangement at De Kade, ondersteuningsarrangement elsewhere.
        start = school_year_start - timedelta(days=365 * (i % 2))
        end = models.add_months(start, 24) - timedelta(days=1)
        if i in (13, 27):
            end = today + timedelta(weeks=3 + i % 3)  # ends soon
        if i == 31:
            end = today - timedelta(days=12)  # ended without a follow-up decision
        decision_defaults = {
            "institution": auris,
            "kind": "onderwijs" if at_kade else "ondersteuning",
            "end": end,
            "evaluation_date": models.add_months(start, 12) if i % 4 == 0 else None,
            "evaluated_on": None,
            "replacement_advice": "terugplaatsing" if at_kade else "blijven",
            "return_decision_on": None,
            "formerly_onderwijsarrangement": not at_kade and i % 3 == 0,
            "notes": "",
        }
        if i == 4:
            decision_defaults["return_decision_on"] = today - timedelta(weeks=5)
        if i == 6:
            decision_defaults["return_decision_on"] = today - timedelta(weeks=10)
        if decision_defaults["evaluation_date"] and decision_defaults["evaluation_date"] < (
            today - timedelta(weeks=20)
        ):
            decision_defaults["evaluated_on"] = decision_defaults["evaluation_date"]
        models.CvoBesluit.objects.update_or_create(
            pupil=pupil, start=start, defaults=decision_defaults
        )

        # Arrangement: ambulant support at the regular school; half for "begeleider".
        arrangement, _created = models.Arrangement.objects.update_or_create(
            pupil=pupil,
            scope="individueel",
            defaults={
                "region": region,
                "setting": "vso" if at_kade else "ambulant",
                "school": school,
                "hours_per_week": 0 if at_kade else 1 + (i % 3) * 0.5,
                "individual_share": 100 if at_kade else 60 + (i % 3) * 10,
                "start": start,
                # Support for pupil 37 ended over a year ago: its begeleider no longer sees it.
                "end": today - timedelta(days=400) if i == 37 else None,
            },
        )
        with_begeleider = (not at_kade and i % 2 == 0) or i < 4 or i == 37
        arrangement.begeleiders.set([begeleider] if with_begeleider else [])

        # Duty of care: Auris from the start of the decision; two unclear on purpose.
        if i == 36:
            models.DutyOfCare.objects.filter(pupil=pupil).delete()  # nobody holds it
        elif i == 38:
            models.DutyOfCare.objects.update_or_create(
                pupil=pupil,
                start=start,
                defaults={
                    "holder_kind": "instelling",
                    "institution": auris,
                    "end": today - timedelta(days=40),
                },
            )  # a gap since
        elif not (12 <= i < 20):
            models.DutyOfCare.objects.update_or_create(
                pupil=pupil,
                start=start,
                defaults={"holder_kind": "instelling", "institution": auris, "end": None},
            )

    _placements(pupils, schools, kade, auris, begeleider, today)
    _conversations(pupils, users, today)
    _consultations(pupils, users, today)
    models.Arrangement.objects.update_or_create(
        region=region,
        scope="groep",
        school=schools["99AB"],
        defaults={
            "setting": "school-in-school",
            "hours_per_week": 8,
            "individual_share": 30,
            "start": school_year_start,
            "notes": "Taalklas voor leerlingen met TOS in het Lyceum (fictief).",
        },
    )
    return {"pupils": pupils}


def _placements(pupils, schools, kade, auris, begeleider, today):
    # (pupil index, to school, steps done) for pupils moving out of De Kade.
    in_progress = [
        (0, None, {"options_explored_on": 30}),
        (1, "99AB", {"options_explored_on": 40, "school_identified_on": 20}),
        (2, "99AC", {"options_explored_on": 50, "school_identified_on": 35, "tlv": 10}),
        # Blocked on transport: TLV and school ready, the municipality has not decided.
        (
            3,
            "99AA",
            {
                "options_explored_on": 60,
                "school_identified_on": 45,
                "tlv": 20,
                "transport_pending": 15,
                "receiving_ready_on": 5,
            },
        ),  # fmt: skip
        (4, "99AD", {"options_explored_on": 30, "school_identified_on": 14}),
        (
            5,
            "99AB",
            {
                "options_explored_on": 70,
                "school_identified_on": 50,
                "tlv": 30,
                "transport": 20,
                "receiving_ready_on": 7,
            },
        ),  # fmt: skip
        (6, "99AC", {"options_explored_on": 40}),
        (
            7,
            "99AA",
            {"options_explored_on": 45, "school_identified_on": 25, "no_tlv": 12},
        ),  # fmt: skip
    ]
    for index, brin, steps in in_progress:
        pupil = pupils[index]
        values = {
            "from_location": kade,
            "to_school": schools[brin] if brin else None,
            "reason_detail": "De Kade bouwt af",
            "options_explored_on": None,
            "school_identified_on": None,
            "tlv_needed": None,
            "tlv_payer": "",
            "tlv_settled_on": None,
            "transport_needed": None,
            "transport_gemeente": None,
            "transport_decision": "",
            "transport_decided_on": None,
            "receiving_ready_on": None,
            "enrolled_on": None,
            "first_evaluation_on": None,
            # The receiving school plans for the start of the next term (De Kade closes).
            "expected_start": today + timedelta(days=30 + 14 * index) if brin else None,
        }
        for key in ("options_explored_on", "school_identified_on", "receiving_ready_on"):
            if key in steps:
                values[key] = today - timedelta(days=steps[key])
        if "tlv" in steps:
            values |= {
                "tlv_needed": True,
                "tlv_payer": "swv",
                "tlv_settled_on": today - timedelta(days=steps["tlv"]),
            }
        if "no_tlv" in steps:
            values |= {
                "tlv_needed": False,
                "tlv_settled_on": today - timedelta(days=steps["no_tlv"]),
            }
        if "transport" in steps or "transport_pending" in steps:
            days = steps.get("transport", steps.get("transport_pending"))
            values |= {
                "transport_needed": True,
                "transport_gemeente": pupil.home_gemeente,
                "transport_decision": "toegekend" if "transport" in steps else "aangevraagd",
                "transport_decided_on": today - timedelta(days=days),
            }
        case, _created = models.PlacementCase.objects.update_or_create(
            pupil=pupil, reason="sluiting", defaults=values
        )

    # Already placed at Het Baken College (99AA): enrolled 4 to 30 months ago.
    for offset, index in enumerate(range(12, 20)):
        pupil = pupils[index]
        enrolled = models.add_months(today, -(4 + offset * 4)) - timedelta(days=3 * offset)
        case, _created = models.PlacementCase.objects.update_or_create(
            pupil=pupil,
            reason="sluiting",
            defaults={
                "from_location": kade,
                "to_school": schools["99AA"],
                "reason_detail": "De Kade bouwt af",
                "options_explored_on": enrolled - timedelta(days=120),
                "school_identified_on": enrolled - timedelta(days=90),
                "tlv_needed": True,
                "tlv_payer": "instelling" if offset % 3 == 0 else "swv",
                "tlv_settled_on": enrolled - timedelta(days=40),
                "transport_needed": offset % 2 == 0,
                "transport_gemeente": pupil.home_gemeente if offset % 2 == 0 else None,
                "transport_decision": "toegekend" if offset % 2 == 0 else "",
                "transport_decided_on": enrolled - timedelta(days=30),
                "receiving_ready_on": enrolled - timedelta(days=10),
                "enrolled_on": enrolled,
                "first_evaluation_on": enrolled + timedelta(days=60)
                if enrolled + timedelta(days=60) < today
                else None,
            },
        )
        models.DutyOfCare.objects.update_or_create(
            pupil=pupil,
            start=enrolled - timedelta(days=700),
            defaults={
                "holder_kind": "instelling",
                "institution": auris,
                "end": enrolled - timedelta(days=1),
            },
        )
        models.DutyOfCare.objects.update_or_create(
            pupil=pupil,
            start=enrolled,
            defaults={
                "holder_kind": "bestuur",
                "bestuur": schools["99AA"].bestuur,
                "institution": None,
                "end": None,
            },
        )
        models.Handover.objects.update_or_create(
            pupil=pupil,
            placement=case,
            defaults={
                "date": enrolled - timedelta(days=7),
                "to_whom": "IB-er Het Baken College (fictief)",
                "opp": True,
                "reports": True,
                "conversation": offset % 2 == 0,
            },
        )
        for months in models.checkin_months():
            due = models.add_months(enrolled, months)
            # Done when more than a month ago, except one overdue on purpose.
            done = due < today - timedelta(days=30) and index != 14
            models.CheckIn.objects.update_or_create(
                pupil=pupil,
                placement=case,
                months_after=months,
                defaults={
                    "due_date": due,
                    "done_on": due + timedelta(days=5) if done else None,
                    "results": "Gaat vooruit in mondelinge taal." if done else "",
                    "wellbeing": ["goed", "redelijk", "zorgelijk"][offset % 3] if done else "",
                    "as_planned": (offset % 4 != 3) if done else None,
                    "support_needed": True if done else None,
                    "recorded_by": begeleider if done else None,
                },
            )
        # The begeleider follows the placed pupils up.
        models.Arrangement.objects.get(pupil=pupil, scope="individueel").begeleiders.add(begeleider)


def _conversations(pupils, users, today):
    for n, index in enumerate([0, 1, 3, 4, 5, 7, 12, 14, 20, 28]):
        models.Conversation.objects.update_or_create(
            pupil=pupils[index],
            date=today - timedelta(days=14 + n * 9),
            defaults={
                "participants": "leerling, ouders, ambulant begeleider",
                "wishes": "Een school dichter bij huis, met een vaste plek in de klas.",
                "concerns": "Ouders maken zich zorgen over het vervoer en de groepsgrootte.",
                "next_step": "Kennismaken op de nieuwe school; vervoer aanvragen.",
                "recorded_by": users["coordinator"] if n % 2 else users["begeleider"],
            },
        )


def _consultations(pupils, users, today):
    """Consultatie en advies for a few pupils who have no CvO decision of that kind."""
    for n, index in enumerate([2, 9, 17]):
        models.Consultation.objects.update_or_create(
            pupil=pupils[index],
            date=today - timedelta(days=20 + n * 30),
            defaults={
                "asked_by": ["mentor", "intern begeleider", "docent Nederlands"][n],
                "question": "Hoe geef ik instructie zodat deze leerling die goed begrijpt?",
                "advice": "Korte zinnen, visuele ondersteuning en de opdracht laten navertellen.",
                "recorded_by": users["begeleider"],
            },
        )
