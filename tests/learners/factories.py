from datetime import date

import factory

from learners.models import Arrangement, CvoBesluit, PlacementCase, Pupil
from regions.models import Role
from tests.factories import user_with_role


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = factory.Sequence(lambda n: f"Achternaam{n}")
    date_of_birth = date(2012, 3, 14)
    target_group = "tos"
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
