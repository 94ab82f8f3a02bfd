"""Initiatives for tests (helper A of issue 9)."""

import factory

from initiatives.models import Initiative, InitiativePartner
from toolkit.models import CooperationType


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    name = factory.Sequence(lambda n: f"Initiatief {n}")
    type = factory.LazyFunction(lambda: CooperationType.objects.get(slug="school-in-school"))
    pupils_typed = 8
    viability_minimum = 6


def partner_school(initiative, school, role="partnerschool"):
    return InitiativePartner.objects.create(initiative=initiative, school=school, role=role)
