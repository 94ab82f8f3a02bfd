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
