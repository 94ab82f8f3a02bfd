from datetime import date

import factory

from learners.models import Arrangement, CvoBesluit, PlacementCase, Pupil
from regions.models import Level, Location, Role
from tests.factories import user_with_role


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    institution = factory.LazyAttribute(lambda o: o.region.institution)
    name = factory.Sequence(lambda n: f"vso Locatie {n}")
    place = "Ergens"


def _level_for(pupil):
    """A pupil at a vo school has a level (Pupil.clean); havo unless given."""
    school = pupil.current_school
    if school is not None and school.sector == "vo":
        return Level.objects.filter(code="havo").first()
    return None


class PupilFactory(factory.django.DjangoModelFactory):
    """A valid pupil: born, and at exactly one school or (v)so location."""

    class Meta:
        model = Pupil

    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = factory.Sequence(lambda n: f"Achternaam{n}")
    date_of_birth = date(2012, 3, 14)
    target_group = "tos"
    current_school = None
    current_location = factory.LazyAttribute(
        lambda o: None if o.current_school else LocationFactory(region=o.region)
    )
    level = factory.LazyAttribute(_level_for)
    diagnosis = "Geheime diagnose"
    notes = "Geheime notitie"


class CvoBesluitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CvoBesluit

    pupil = factory.SubFactory(PupilFactory)
    institution = factory.LazyAttribute(lambda o: o.pupil.region.institution)
    kind = "ondersteuning"
    start = date(2025, 8, 1)
    end = date(2027, 7, 31)


class ArrangementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arrangement

    pupil = factory.SubFactory(PupilFactory)
    region = factory.LazyAttribute(lambda o: o.pupil.region)
    scope = "individueel"
    setting = "ambulant"
    hours_per_week = 2
    start = date(2025, 8, 1)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlacementCase

    pupil = factory.SubFactory(PupilFactory)
    reason = "sluiting"


def begeleider_of(region):
    return user_with_role(Role.BEGELEIDER, region=region)


def assign(pupil, user):
    arrangement = ArrangementFactory(pupil=pupil)
    arrangement.begeleiders.add(user)
    return arrangement


def pupil_with_every_record(region, user, marker="X"):
    """A pupil with one record of every kind, each holding `marker` in a text, and one
    look in the access log by `user`: what retention purges and an inzageverzoek shows."""
    from learners.models import (
        CheckIn,
        Consultation,
        Conversation,
        DutyOfCare,
        Handover,
    )
    from learners.services import log_view

    pupil = PupilFactory(region=region, diagnosis=f"Diagnose-{marker}", notes=f"Notitie-{marker}")
    CvoBesluitFactory(pupil=pupil, notes=f"Besluit-{marker}")
    ArrangementFactory(pupil=pupil, notes=f"Arrangement-{marker}").begeleiders.add(user)
    placement = PlacementFactory(pupil=pupil, reason_detail=f"Plaatsing-{marker}")
    DutyOfCare.objects.create(
        pupil=pupil,
        holder_kind="instelling",
        institution=region.institution,
        start=date(2025, 8, 1),
    )
    Handover.objects.create(
        pupil=pupil, placement=placement, date=date(2026, 1, 5), to_whom=f"Mentor-{marker}"
    )
    CheckIn.objects.create(pupil=pupil, due_date=date(2026, 3, 1), results=f"Resultaat-{marker}")
    Conversation.objects.create(
        pupil=pupil, date=date(2026, 2, 1), participants="ouders", wishes=f"Wens-{marker}"
    )
    Consultation.objects.create(
        pupil=pupil, date=date(2026, 2, 2), asked_by="mentor", question=f"Vraag-{marker}"
    )
    log_view(user=user, pupil=pupil, detail="test")
    return pupil
